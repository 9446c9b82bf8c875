//! `POST /v2/{project}/records`: records into a stream's partitions, by id, by key, or round
//! robin, appended to each partition's log (nothing else is written per put).

use super::Backend;
use crate::lock;
use crate::refusal::{json_body, Refusal};
use crate::state::{parse_partition_id, partition_id};
use app::clock::now_ms;
use app::domain::dis::{PutRecordResult, PutRecordsRequest, PutRecordsResponse};
use axum::{body::Bytes, extract::State, Json};
use base64::Engine;

fn refused_record(message: &str) -> PutRecordResult {
    PutRecordResult {
        error_code: Some("DIS.4200".into()),
        error_message: Some(message.into()),
        ..Default::default()
    }
}

pub(super) async fn put(
    State(shared): Backend,
    body: Bytes,
) -> Result<Json<PutRecordsResponse>, Refusal> {
    let request: PutRecordsRequest = json_body(&body)?;
    if request.records.is_empty() {
        return Err(Refusal::invalid("records must hold at least one record"));
    }
    let mut st = lock(&shared.state);
    let s = st
        .streams
        .get_mut(&request.stream_name)
        .ok_or_else(Refusal::stream_not_found)?;
    let now = now_ms();
    let count = s.partitions.len();
    // Keys and round robin spread records over the open partitions; a closed one takes none.
    let open = s.open_partitions();
    // Records are appended partition by partition, one write each; numbers are given in the
    // order of the request.
    let mut batches: Vec<Vec<(i64, &str)>> = vec![Vec::new(); count];
    let mut results = Vec::with_capacity(request.records.len());
    let mut failed = 0;
    for record in &request.records {
        if base64::engine::general_purpose::STANDARD
            .decode(&record.data)
            .is_err()
        {
            failed += 1;
            results.push(refused_record("data is not base64."));
            continue;
        }
        let index = match (&record.partition_id, &record.partition_key) {
            (Some(id), _) => match parse_partition_id(id).filter(|i| *i < count) {
                Some(i) if !s.partitions[i].closed => i,
                Some(_) => {
                    failed += 1;
                    results.push(refused_record("partition_id is closed."));
                    continue;
                }
                None => {
                    failed += 1;
                    results.push(refused_record("partition_id does not exist."));
                    continue;
                }
            },
            (None, Some(key)) => {
                let hash = key
                    .bytes()
                    .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
                open[(hash % open.len() as u64) as usize]
            }
            (None, None) => {
                let i = s.next_partition % open.len();
                s.next_partition = (i + 1) % open.len();
                open[i]
            }
        };
        let seq = s.partitions[index].log.end() + batches[index].len() as u64;
        batches[index].push((now, record.data.as_str()));
        results.push(PutRecordResult {
            partition_id: Some(partition_id(index)),
            sequence_number: Some(seq.to_string()),
            ..Default::default()
        });
    }
    for (partition, batch) in s.partitions.iter_mut().zip(&batches) {
        if !batch.is_empty() {
            partition.append(batch).map_err(|e| {
                tracing::error!(error = %e, "the DIS backend cannot append records");
                Refusal::system_error()
            })?;
        }
    }
    Ok(Json(PutRecordsResponse {
        failed_record_count: failed,
        records: results,
    }))
}

//! In-memory stand-ins for the ports, for unit tests of the services: no HTTP, no database.

use crate::domain::audit::AuditQuery;
use crate::domain::dis::{
    CursorPosition, DescribeStreamResponse, ListStreamsResponse, ListTasksResponse,
    PutRecordsRequest, PutRecordsResponse, ReadRecord, RecordsResponse, StreamInfo,
    StreamPartition, TaskAction, TaskDetails, TaskPartition, TaskState, TaskSummary,
};
use crate::domain::metrics::{DataPoint, Metrics, MetricsResponse};
use crate::domain::stream::{
    AppInfo, AppName, CreateStreamRequest, ListAppsResponse, PartitionConsumingState,
    StreamDescription, UpdateStreamRequest,
};
use crate::domain::task::ObsDestinationDescriptor;
use crate::domain::{
    AuditEntry, DumpTask, Me, OperatorInfo, PartitionId, Role, StreamName, TaskName,
};
use crate::ports::{
    Accounts, CreateOutcome, DisPort, LiveOperator, LoginOutcome, OperatorChange, StoreError,
    UpdateOutcome, UpstreamError, UpstreamKind,
};
use secrecy::ExposeSecret;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

fn rejected(code: &str) -> UpstreamError {
    UpstreamError {
        kind: UpstreamKind::Rejected,
        code: Some(code.to_owned()),
        dis_request_id: Some("fake".into()),
        detail: format!("the fake DIS refused with {code}"),
    }
}

/// Streams in name order, as DIS pages them, each with the same number of tasks (none unless
/// asked). It counts its calls and the most it had in flight at once (every call yields once,
/// so concurrent callers overlap as they would over a network).
#[derive(Default)]
pub struct FakeDis {
    streams: Vec<String>,
    pages: AtomicUsize,
    /// Answer the first page whatever is asked, as a broken DIS might.
    repeat: bool,
    tasks_per_stream: usize,
    /// `(stream, task)` pairs whose last dump was long ago with records waiting.
    late: Mutex<Vec<(String, String)>>,
    failing_describes: bool,
    calls: AtomicUsize,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    /// Reads of records that answer DIS.4225 (an expired cursor) before any other answer.
    expired_reads: AtomicUsize,
}

/// The partition every fake stream has: 100 records.
const FAKE_RANGE: &str = "[0 : 100]";

/// When the fake partition's first record arrived; record `n` arrived `n` × 6 s later, and is
/// `{"n": n, "ts": <its arrival>}`.
pub const FAKE_FIRST_ARRIVAL: i64 = 1_796_142_000_000;

/// How many records one fake read answers at most, so reads go on through cursors.
const FAKE_READ: u64 = 30;

fn fake_arrival(n: u64) -> i64 {
    FAKE_FIRST_ARRIVAL + n as i64 * 6_000
}

impl FakeDis {
    pub fn with_streams(names: impl IntoIterator<Item = String>) -> FakeDis {
        let mut streams: Vec<String> = names.into_iter().collect();
        streams.sort();
        FakeDis {
            streams,
            ..FakeDis::default()
        }
    }

    pub fn repeating_pages(self) -> FakeDis {
        FakeDis {
            repeat: true,
            ..self
        }
    }

    /// Every stream has tasks `t0`, `t1`…, running and caught up.
    pub fn with_tasks(self, per_stream: usize) -> FakeDis {
        FakeDis {
            tasks_per_stream: per_stream,
            ..self
        }
    }

    /// Describing any stream fails with DIS.5000.
    pub fn failing_describes(self) -> FakeDis {
        FakeDis {
            failing_describes: true,
            ..self
        }
    }

    /// The task stopped dumping an hour ago, 40 records short of the end.
    pub fn make_late(&self, stream: &str, task: &str) {
        self.late
            .lock()
            .unwrap()
            .push((stream.to_owned(), task.to_owned()));
    }

    /// The next `reads` reads of records answer DIS.4225, as DIS does once a cursor is five
    /// minutes old.
    pub fn expire_cursors(&self, reads: usize) {
        self.expired_reads.store(reads, Ordering::Relaxed);
    }

    pub fn pages_read(&self) -> usize {
        self.pages.load(Ordering::Relaxed)
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }

    pub fn most_in_flight(&self) -> usize {
        self.most_in_flight.load(Ordering::Relaxed)
    }

    /// Counts a call and lets others run before it answers.
    async fn call(&self) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.most_in_flight.fetch_max(now, Ordering::Relaxed);
        tokio::task::yield_now().await;
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
    }

    /// What DIS answers for a task of a stream that has none.
    fn no_task<T>(&self, stream: &StreamName) -> Result<T, UpstreamError> {
        self.exists(stream)?;
        Err(rejected("DIS.4354"))
    }

    fn exists(&self, stream: &StreamName) -> Result<(), UpstreamError> {
        if self.streams.iter().any(|s| s == stream.as_str()) {
            Ok(())
        } else {
            Err(rejected("DIS.4301"))
        }
    }

    fn task_names(&self) -> impl Iterator<Item = String> {
        (0..self.tasks_per_stream).map(|i| format!("t{i}"))
    }
}

#[async_trait::async_trait]
impl DisPort for FakeDis {
    async fn stream_page(
        &self,
        limit: u32,
        after: Option<&StreamName>,
    ) -> Result<ListStreamsResponse, UpstreamError> {
        self.call().await;
        self.pages.fetch_add(1, Ordering::Relaxed);
        let after = if self.repeat { None } else { after };
        let rest: Vec<&String> = self
            .streams
            .iter()
            .filter(|s| after.is_none_or(|a| s.as_str() > a.as_str()))
            .collect();
        let page: Vec<StreamInfo> = rest
            .iter()
            .take(limit as usize)
            .map(|name| StreamInfo {
                stream_name: (*name).clone(),
                ..StreamInfo::default()
            })
            .collect();
        Ok(ListStreamsResponse {
            total_number: self.streams.len() as u64,
            has_more_streams: self.repeat || rest.len() > page.len(),
            stream_names: page.iter().map(|s| s.stream_name.clone()).collect(),
            stream_info_list: page,
        })
    }

    async fn describe_stream(
        &self,
        stream: &StreamName,
    ) -> Result<DescribeStreamResponse, UpstreamError> {
        self.call().await;
        self.exists(stream)?;
        if self.failing_describes {
            return Err(rejected("DIS.5000"));
        }
        Ok(DescribeStreamResponse {
            stream_name: stream.to_string(),
            data_type: "JSON".into(),
            partitions: vec![StreamPartition {
                partition_id: "shardId-0000000000".into(),
                status: "ACTIVE".into(),
                sequence_number_range: FAKE_RANGE.into(),
                ..StreamPartition::default()
            }],
            ..DescribeStreamResponse::default()
        })
    }

    async fn list_dump_tasks(
        &self,
        stream: &StreamName,
    ) -> Result<ListTasksResponse, UpstreamError> {
        self.call().await;
        self.exists(stream)?;
        let tasks: Vec<TaskSummary> = self
            .task_names()
            .map(|task_name| TaskSummary {
                task_id: format!("{stream}-{task_name}"),
                task_name,
                state: TaskState::Running,
                ..TaskSummary::default()
            })
            .collect();
        Ok(ListTasksResponse {
            total_number: tasks.len() as u64,
            quota: 5,
            tasks,
        })
    }

    async fn show_dump_task(
        &self,
        stream: &StreamName,
        task: &TaskName,
    ) -> Result<TaskDetails, UpstreamError> {
        self.call().await;
        if !self.task_names().any(|t| t == task.as_str()) {
            return self.no_task(stream);
        }
        let now = crate::clock::now_ms();
        let late = self
            .late
            .lock()
            .unwrap()
            .contains(&(stream.to_string(), task.to_string()));
        let (offset, last) = if late {
            (60, now - 3_600_000)
        } else {
            (100, now)
        };
        Ok(TaskDetails {
            task_id: format!("{stream}-{task}"),
            task_name: task.to_string(),
            stream_name: stream.to_string(),
            state: TaskState::Running,
            last_transfer_timestamp: last,
            destination_type: "OBS".into(),
            obs_destination_description: Some(ObsDestinationDescriptor {
                task_name: Some(task.to_string()),
                agency_name: Some("dis_admin_agency".into()),
                obs_bucket_path: Some("bucket".into()),
                deliver_time_interval: Some(60),
                ..ObsDestinationDescriptor::default()
            }),
            partitions: vec![TaskPartition {
                partition_id: "shardId-0000000000".into(),
                last_transfer_offset: offset,
                last_transfer_timestamp: last,
                ..TaskPartition::default()
            }],
            ..TaskDetails::default()
        })
    }

    async fn add_dump_task(
        &self,
        stream: &StreamName,
        _task: &DumpTask,
    ) -> Result<CreateOutcome, UpstreamError> {
        self.call().await;
        self.exists(stream)?;
        Ok(CreateOutcome::Created)
    }

    async fn update_dump_task(
        &self,
        stream: &StreamName,
        task: &DumpTask,
    ) -> Result<UpdateOutcome, UpstreamError> {
        self.call().await;
        if self.task_names().any(|t| t == task.task_name.as_str()) {
            Ok(UpdateOutcome::Updated)
        } else {
            self.no_task(stream)
        }
    }

    async fn task_action(
        &self,
        stream: &StreamName,
        _action: TaskAction,
        _ids: &[String],
    ) -> Result<(), UpstreamError> {
        self.call().await;
        self.no_task(stream)
    }

    async fn delete_dump_task(
        &self,
        stream: &StreamName,
        _task: &TaskName,
    ) -> Result<(), UpstreamError> {
        self.call().await;
        self.no_task(stream)
    }

    async fn stream_description(
        &self,
        stream: &StreamName,
    ) -> Result<StreamDescription, UpstreamError> {
        Ok(StreamDescription {
            stream: self.describe_stream(stream).await?,
            ..StreamDescription::default()
        })
    }

    async fn create_stream(&self, request: &CreateStreamRequest) -> Result<(), UpstreamError> {
        self.call().await;
        if self.streams.contains(&request.stream_name) {
            return Err(rejected("DIS.4307"));
        }
        Ok(())
    }

    async fn scale_stream(&self, stream: &StreamName, _target: u32) -> Result<(), UpstreamError> {
        self.call().await;
        self.exists(stream)
    }

    async fn update_stream(
        &self,
        stream: &StreamName,
        _request: &UpdateStreamRequest,
    ) -> Result<(), UpstreamError> {
        self.call().await;
        self.exists(stream)
    }

    async fn delete_stream(&self, stream: &StreamName) -> Result<(), UpstreamError> {
        self.call().await;
        self.exists(stream)
    }

    /// One application, `reader`, reads every stream.
    async fn app_page(
        &self,
        _limit: u32,
        _after: Option<&AppName>,
        stream: Option<&StreamName>,
    ) -> Result<ListAppsResponse, UpstreamError> {
        self.call().await;
        if let Some(stream) = stream {
            self.exists(stream)?;
        }
        Ok(ListAppsResponse {
            apps: vec![AppInfo {
                app_name: "reader".into(),
                commit_checkpoint_stream_names: stream.iter().map(|s| s.to_string()).collect(),
                ..AppInfo::default()
            }],
            total_number: 1,
            has_more_app: false,
        })
    }

    /// `reader` last read record 59 of the fake partition's 100.
    async fn consumer_state(
        &self,
        _app: &AppName,
        stream: &StreamName,
    ) -> Result<Vec<PartitionConsumingState>, UpstreamError> {
        self.call().await;
        self.exists(stream)?;
        Ok(vec![PartitionConsumingState {
            partition_id: "shardId-0000000000".into(),
            sequence_number: "59".into(),
            latest_offset: 100,
            earliest_offset: 0,
            ..PartitionConsumingState::default()
        }])
    }

    async fn put_records(
        &self,
        request: &PutRecordsRequest,
    ) -> Result<PutRecordsResponse, UpstreamError> {
        self.call().await;
        self.exists(&StreamName::parse(&request.stream_name).map_err(|_| rejected("DIS.4301"))?)?;
        Ok(PutRecordsResponse::default())
    }

    /// Seven records in the period's first minute, for every label asked.
    async fn metrics(
        &self,
        stream: &StreamName,
        _partition: Option<&PartitionId>,
        labels: &[&str],
        period: (i64, i64),
    ) -> Result<MetricsResponse, UpstreamError> {
        self.call().await;
        self.exists(stream)?;
        Ok(MetricsResponse {
            metrics: None,
            metrics_list: labels
                .iter()
                .map(|label| Metrics {
                    label: (*label).to_owned(),
                    data_points: vec![DataPoint {
                        timestamp: period.0 * 1000,
                        value: 7.0,
                    }],
                })
                .collect(),
        })
    }

    /// A cursor is `<stream>/<next sequence number>`.
    async fn cursor(
        &self,
        stream: &StreamName,
        partition: &PartitionId,
        position: CursorPosition,
    ) -> Result<String, UpstreamError> {
        self.call().await;
        self.exists(stream)?;
        if partition.number() != 0 {
            return Err(rejected("DIS.4302"));
        }
        let next = match position {
            CursorPosition::AtSequence(n) => n,
            CursorPosition::AfterSequence(n) => n + 1,
            CursorPosition::TrimHorizon => 0,
            CursorPosition::Latest => 100,
            CursorPosition::AtTimestamp(ms) => {
                (0..100).find(|n| fake_arrival(*n) >= ms).unwrap_or(100)
            }
        };
        Ok(format!("{stream}/{next}"))
    }

    async fn records(
        &self,
        cursor: &str,
        max_fetch_bytes: u32,
    ) -> Result<RecordsResponse, UpstreamError> {
        self.call().await;
        assert!(max_fetch_bytes >= 1 << 20, "a read asks for at least 1 MB");
        let expired = self
            .expired_reads
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
        if expired.is_ok() {
            return Err(rejected("DIS.4225"));
        }
        let (stream, next) = cursor.split_once('/').ok_or_else(|| rejected("DIS.4217"))?;
        let next: u64 = next.parse().map_err(|_| rejected("DIS.4217"))?;
        let end = (next + FAKE_READ).min(100);
        Ok(RecordsResponse {
            records: (next..end)
                .map(|n| ReadRecord {
                    sequence_number: n.to_string(),
                    data: base64::Engine::encode(
                        &base64::engine::general_purpose::STANDARD,
                        format!(r#"{{"n": {n}, "ts": {}}}"#, fake_arrival(n)),
                    ),
                    timestamp: fake_arrival(n),
                    ..ReadRecord::default()
                })
                .collect(),
            next_partition_cursor: Some(format!("{stream}/{end}")),
        })
    }
}

struct FakeOperator {
    id: i64,
    info: OperatorInfo,
    password: String,
    password_epoch: i64,
}

impl FakeOperator {
    fn live(&self) -> LiveOperator {
        LiveOperator {
            me: Me {
                name: self.info.name.clone(),
                role: self.info.role,
            },
            password_epoch: self.password_epoch,
        }
    }
}

/// Operators and an audit log in memory, with the store's refusals (a taken name, an unknown
/// one, the last enabled admin). Logins are not throttled.
#[derive(Default)]
pub struct FakeAccounts {
    operators: Mutex<Vec<FakeOperator>>,
    pub audit_log: Mutex<Vec<AuditEntry>>,
}

impl FakeAccounts {
    fn enabled_admins(list: &[FakeOperator]) -> usize {
        list.iter()
            .filter(|o| o.info.role == Role::Admin && !o.info.disabled)
            .count()
    }
}

#[async_trait::async_trait]
impl Accounts for FakeAccounts {
    async fn login(
        &self,
        name: &str,
        password: &secrecy::SecretString,
        _client: &str,
    ) -> Result<LoginOutcome, StoreError> {
        let list = self.operators.lock().unwrap();
        Ok(match list.iter().find(|o| o.info.name == name) {
            Some(o) if !o.info.disabled && o.password == password.expose_secret() => {
                LoginOutcome::Accepted {
                    id: o.id,
                    operator: o.live(),
                }
            }
            _ => LoginOutcome::Refused,
        })
    }

    async fn operator(&self, id: i64) -> Result<Option<LiveOperator>, StoreError> {
        let list = self.operators.lock().unwrap();
        Ok(list
            .iter()
            .find(|o| o.id == id && !o.info.disabled)
            .map(FakeOperator::live))
    }

    async fn operators(&self) -> Result<Vec<OperatorInfo>, StoreError> {
        let list = self.operators.lock().unwrap();
        Ok(list.iter().map(|o| o.info.clone()).collect())
    }

    async fn change_operator(
        &self,
        name: &str,
        change: OperatorChange,
    ) -> Result<Result<(), String>, StoreError> {
        let mut list = self.operators.lock().unwrap();
        let admins = Self::enabled_admins(&list);
        if let OperatorChange::Add {
            name,
            role,
            password,
        } = change
        {
            if list.iter().any(|o| o.info.name == name) {
                return Ok(Err(format!("An operator named {name} already exists.")));
            }
            let id = list.len() as i64 + 1;
            list.push(FakeOperator {
                id,
                info: OperatorInfo {
                    name,
                    role,
                    disabled: false,
                    created_ms: 0,
                    last_login_ms: None,
                    sign_on: None,
                },
                password: password.expose_secret().to_owned(),
                password_epoch: 0,
            });
            return Ok(Ok(()));
        }
        let Some(o) = list.iter_mut().find(|o| o.info.name == name) else {
            return Ok(Err(format!("There is no operator named {name}.")));
        };
        let sole_admin = o.info.role == Role::Admin && !o.info.disabled && admins <= 1;
        match change {
            OperatorChange::SetRole(role) if sole_admin && role != Role::Admin => {
                return Ok(Err("The console needs at least one enabled admin.".into()))
            }
            OperatorChange::SetDisabled(true) if sole_admin => {
                return Ok(Err("The console needs at least one enabled admin.".into()))
            }
            OperatorChange::SetRole(role) => o.info.role = role,
            OperatorChange::SetDisabled(d) => o.info.disabled = d,
            OperatorChange::SetPassword(p) => {
                o.password = p.expose_secret().to_owned();
                o.password_epoch += 1;
            }
            OperatorChange::Add { .. } => unreachable!("handled above"),
        }
        Ok(Ok(()))
    }

    async fn record(&self, entry: AuditEntry) -> Result<(), StoreError> {
        self.audit_log.lock().unwrap().push(entry);
        Ok(())
    }

    async fn audit(&self, query: &AuditQuery, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let log = self.audit_log.lock().unwrap();
        Ok(log
            .iter()
            .rev()
            .filter(|e| e.at_ms < query.before_ms)
            .filter(|e| query.operator.is_empty() || e.operator == query.operator)
            .filter(|e| query.action.is_none_or(|a| a == e.action))
            .filter(|e| query.outcome.is_none_or(|o| o == e.outcome))
            .take(limit as usize)
            .cloned()
            .collect())
    }
}

/// An OBS whose every bucket holds `objects` (or refuses with `refusal`), counting listings.
#[derive(Default)]
pub struct FakeObs {
    pub objects: Vec<crate::domain::files::StoredObject>,
    pub refusal: Option<&'static str>,
    pub lists: AtomicUsize,
}

#[async_trait::async_trait]
impl crate::ports::ObsPort for FakeObs {
    async fn list(
        &self,
        _bucket: &crate::domain::task::BucketName,
        prefix: &str,
        delimiter: Option<&str>,
        continuation: Option<&str>,
    ) -> Result<crate::domain::files::ObjectPage, UpstreamError> {
        self.lists.fetch_add(1, Ordering::SeqCst);
        if let Some(code) = self.refusal {
            return Err(UpstreamError {
                kind: crate::ports::UpstreamKind::Rejected,
                code: Some(code.into()),
                dis_request_id: Some("obs-request-1".into()),
                detail: String::new(),
            });
        }
        // Pages of 1,000 objects, in key order, the token the index to go on from.
        let mut keys: Vec<&crate::domain::files::StoredObject> = self
            .objects
            .iter()
            .filter(|o| o.key.starts_with(prefix))
            .collect();
        keys.sort_by(|a, b| a.key.cmp(&b.key));
        let from: usize = continuation.and_then(|t| t.parse().ok()).unwrap_or(0);
        let mut page = crate::domain::files::ObjectPage::default();
        if delimiter.is_none() && keys.len() > from + 1000 {
            page.next = Some((from + 1000).to_string());
        }
        let under = keys.into_iter().skip(from).take(if delimiter.is_none() {
            1000
        } else {
            usize::MAX
        });
        for o in under {
            let rest = &o.key[prefix.len()..];
            match delimiter.and_then(|d| rest.find(d).map(|i| i + d.len())) {
                Some(end) => {
                    let common = o.key[..prefix.len() + end].to_owned();
                    if !page.prefixes.contains(&common) {
                        page.prefixes.push(common);
                    }
                }
                None => page.objects.push(o.clone()),
            }
        }
        Ok(page)
    }

    async fn head(
        &self,
        _bucket: &crate::domain::task::BucketName,
        key: &str,
    ) -> Result<crate::domain::files::StoredObject, UpstreamError> {
        self.objects
            .iter()
            .find(|o| o.key == key)
            .cloned()
            .ok_or_else(|| UpstreamError {
                kind: crate::ports::UpstreamKind::Rejected,
                code: Some("NoSuchKey".into()),
                dis_request_id: None,
                detail: String::new(),
            })
    }

    async fn first_bytes(
        &self,
        _bucket: &crate::domain::task::BucketName,
        key: &str,
        limit: u64,
    ) -> Result<Vec<u8>, UpstreamError> {
        let mut text = format!("first line of {key}\n").into_bytes();
        text.truncate(limit as usize);
        Ok(text)
    }
}

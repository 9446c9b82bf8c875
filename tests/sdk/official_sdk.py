"""The embedded DIS backend driven by Huawei Cloud's official Python SDK (huaweicloudsdkdis).

A third-party client must not notice the backend is not DIS: the SDK signs every request its
own way, sends its own JSON, and parses the answers into its own models.

Usage: official_sdk.py ENDPOINT   (credentials in DIS_AK, DIS_SK, DIS_PROJECT_ID)
"""

import base64
import json
import os
import sys
import time
import uuid

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkdis.v2 import (
    BatchStartTransferTaskReq,
    BatchStartTransferTaskRequest,
    BatchStopTransferTaskReq,
    BatchStopTransferTaskRequest,
    BatchTransferTask,
    CommitCheckpointReq,
    CommitCheckpointRequest,
    ConsumeRecordsRequest,
    CreateAppReq,
    CreateAppRequest,
    CSVProperties,
    DeleteAppRequest,
    DeleteStreamRequest,
    ListAppRequest,
    ShowConsumerStateRequest,
    Tag,
    UpdatePartitionCountReq,
    UpdatePartitionCountRequest,
    UpdateStreamReq,
    UpdateStreamRequest,
    CreateObsTransferTaskRequest,
    CreateStreamReq,
    CreateStreamRequest,
    CreateTransferTaskReq,
    DeleteTransferTaskRequest,
    DisClient,
    ListStreamsRequest,
    ListTransferTasksRequest,
    OBSDestinationDescriptorRequest,
    ProcessingSchema,
    PutRecordsRequest,
    PutRecordsRequestEntry,
    SendRecordsRequest,
    ShowCursorRequest,
    ShowPartitionMetricsRequest,
    ShowStreamMetricsRequest,
    ShowStreamRequest,
    ShowTransferTaskRequest,
)


def expect_error(call, code):
    try:
        call()
    except exceptions.ClientRequestException as e:
        assert e.error_code == code, f"expected {code}, got {e.error_code} {e.error_msg}"
        assert e.request_id, "the answer carries X-Request-Id"
        return e
    raise AssertionError(f"expected {code}, the call succeeded")


def main(endpoint):
    credentials = BasicCredentials(os.environ["DIS_AK"], os.environ["DIS_SK"], os.environ["DIS_PROJECT_ID"])
    client = DisClient.new_builder().with_credentials(credentials).with_endpoints([endpoint]).build()

    stream = "sdk-" + uuid.uuid4().hex[:8]
    client.create_stream(CreateStreamRequest(body=CreateStreamReq(
        stream_name=stream, partition_count=1, stream_type="COMMON", data_type="JSON", data_duration=24)))
    expect_error(lambda: client.create_stream(CreateStreamRequest(body=CreateStreamReq(
        stream_name=stream, partition_count=1))), "DIS.4307")

    listed = client.list_streams(ListStreamsRequest(limit=100))
    assert stream in listed.stream_names, listed
    shown = client.show_stream(ShowStreamRequest(stream_name=stream))
    assert shown.data_type == "JSON" and shown.stream_name == stream, shown
    expect_error(lambda: client.show_stream(ShowStreamRequest(stream_name="no-such-stream")), "DIS.4301")

    def create(name, **kw):
        descriptor = OBSDestinationDescriptorRequest(
            task_name=name, agency_name="dis_admin_agency", deliver_time_interval=30,
            consumer_strategy="TRIM_HORIZON", file_prefix="sdk", partition_format="yyyy/MM/dd",
            obs_bucket_path="sdk-bucket", destination_file_type=kw.get("file_type", "text"),
            record_delimiter="\n", processing_schema=kw.get("schema"))
        return client.create_obs_transfer_task(CreateObsTransferTaskRequest(
            stream_name=stream,
            body=CreateTransferTaskReq(destination_type="OBS", obs_destination_descriptor=descriptor)))

    create("sdk-text")
    create("sdk-parquet", file_type="parquet",
           schema=ProcessingSchema(timestamp_name="ts", timestamp_type="Timestamp"))
    expect_error(lambda: create("sdk-text"), "DIS.4355")
    # DIS's rules: a String timestamp needs its format.
    e = expect_error(lambda: create("bad", schema=ProcessingSchema(timestamp_name="ts", timestamp_type="String")),
                     "DIS.4200")
    assert "timestamp_format" in e.error_msg, e.error_msg

    tasks = client.list_transfer_tasks(ListTransferTasksRequest(stream_name=stream))
    assert tasks.total_number == 2 and tasks.quota == 5, tasks
    task = client.show_transfer_task(ShowTransferTaskRequest(stream_name=stream, task_name="sdk-text"))
    assert task.state == "RUNNING", task
    assert task.obs_destination_description.obs_bucket_path == "sdk-bucket", task
    # Start and stop take the task id. The list carries it (as the reference documents), but
    # the SDK's TransferTask model has no field for it: read it from the raw answer.
    raw = json.loads(tasks.raw_content)
    task_id = next(t["task_id"] for t in raw["tasks"] if t["task_name"] == "sdk-text")
    # Task partitions follow the reference ({partitionId, discard, state, ...}); the SDK's model
    # reuses the stream partition type and keeps none of those fields, so check the raw answer.
    shown_raw = json.loads(task.raw_content)
    assert shown_raw["partitions"][0]["partitionId"] == "shardId-0000000000", shown_raw

    client.batch_stop_transfer_task(BatchStopTransferTaskRequest(
        stream_name=stream, body=BatchStopTransferTaskReq(action="stop", tasks=[BatchTransferTask(id=task_id)])))
    paused = client.show_transfer_task(ShowTransferTaskRequest(stream_name=stream, task_name="sdk-text"))
    assert paused.state == "PAUSED", paused
    client.batch_start_transfer_task(BatchStartTransferTaskRequest(
        stream_name=stream, body=BatchStartTransferTaskReq(action="start", tasks=[BatchTransferTask(id=task_id)])))
    running = client.show_transfer_task(ShowTransferTaskRequest(stream_name=stream, task_name="sdk-text"))
    assert running.state == "RUNNING", running

    sent = client.send_records(SendRecordsRequest(body=PutRecordsRequest(stream_name=stream, records=[
        PutRecordsRequestEntry(data=base64.b64encode(b'{"ts": 1704164645000}').decode(), partition_key="k-\u5206")])))
    assert sent.failed_record_count == 0, sent

    # The record is in the partition's range ("[first : next]") and in the monitoring figures.
    described = client.show_stream(ShowStreamRequest(stream_name=stream))
    assert described.partitions[0].sequence_number_range == "[0 : 1]", described.partitions[0]
    now = int(time.time())
    figures = client.show_stream_metrics(ShowStreamMetricsRequest(
        stream_name=stream, label_list="total_put_records_per_stream,total_put_bytes_per_stream",
        start_time=now - 3600, end_time=now + 60))
    totals = {m.label: sum(p.value for p in (m.data_points or [])) for m in figures.metrics_list}
    assert totals == {"total_put_records_per_stream": 1, "total_put_bytes_per_stream": 21}, totals
    one = client.show_partition_metrics(ShowPartitionMetricsRequest(
        stream_name=stream, partition_id="shardId-0000000000", label="total_put_records_per_partition",
        start_time=now - 3600, end_time=now + 60))
    assert sum(p.value for p in one.metrics.data_points) == 1, one
    expect_error(lambda: client.show_stream_metrics(ShowStreamMetricsRequest(
        stream_name=stream, label="no_such_label", start_time=now - 60, end_time=now)), "DIS.4209")
    expect_error(lambda: client.show_stream_metrics(ShowStreamMetricsRequest(
        stream_name=stream, label="total_put_records_per_stream", start_time=now - 8 * 86400, end_time=now)),
        "DIS.4204")

    # Read back as a consumer: a cursor of each kind, the record, and the cursor that goes on.
    shard = "shardId-0000000000"
    megabyte = 1 << 20
    read = None
    for kind, extra in [("TRIM_HORIZON", {}), ("AT_SEQUENCE_NUMBER", {"starting_sequence_number": "0"}),
                        ("AT_TIMESTAMP", {"timestamp": (now - 600) * 1000})]:
        cursor = client.show_cursor(ShowCursorRequest(
            stream_name=stream, partition_id=shard, cursor_type=kind, **extra)).partition_cursor
        read = client.consume_records(ConsumeRecordsRequest(partition_cursor=cursor, max_fetch_bytes=megabyte))
        assert [base64.b64decode(r.data) for r in read.records] == [b'{"ts": 1704164645000}'], (kind, read)
        assert read.records[0].sequence_number == "0", read.records[0]
        assert read.records[0].timestamp >= (now - 600) * 1000, read.records[0]
    after = client.consume_records(ConsumeRecordsRequest(
        partition_cursor=read.next_partition_cursor, max_fetch_bytes=megabyte))
    assert not after.records and after.next_partition_cursor, after
    latest = client.show_cursor(ShowCursorRequest(stream_name=stream, partition_id="0", cursor_type="LATEST"))
    assert not client.consume_records(ConsumeRecordsRequest(
        partition_cursor=latest.partition_cursor, max_fetch_bytes=megabyte)).records
    expect_error(lambda: client.show_cursor(ShowCursorRequest(
        stream_name=stream, partition_id="shardId-0000000007", cursor_type="LATEST")), "DIS.4302")
    expect_error(lambda: client.consume_records(ConsumeRecordsRequest(
        partition_cursor="no-such-cursor", max_fetch_bytes=megabyte)), "DIS.4217")

    client.delete_transfer_task(DeleteTransferTaskRequest(stream_name=stream, task_name="sdk-parquet"))
    expect_error(lambda: client.show_transfer_task(ShowTransferTaskRequest(stream_name=stream, task_name="sdk-parquet")),
                 "DIS.4354")

    # A consumer application: its checkpoint and how far behind it is, per partition.
    app = "sdk-app-" + uuid.uuid4().hex[:6]
    client.create_app(CreateAppRequest(body=CreateAppReq(app_name=app)))
    expect_error(lambda: client.create_app(CreateAppRequest(body=CreateAppReq(app_name=app))), "DIS.4200")
    client.commit_checkpoint(CommitCheckpointRequest(body=CommitCheckpointReq(
        app_name=app, checkpoint_type="LAST_READ", stream_name=stream, partition_id=shard, sequence_number="0")))
    state = client.show_consumer_state(ShowConsumerStateRequest(
        app_name=app, stream_name=stream, checkpoint_type="LAST_READ"))
    first = state.partition_consuming_states[0]
    assert (first.sequence_number, first.earliest_offset, first.latest_offset) == ("0", 0, 1), first
    apps = client.list_app(ListAppRequest(limit=10, stream_name=stream))
    assert [a.app_name for a in apps.apps] == [app] and apps.apps[0].commit_checkpoint_stream_names == [stream], apps
    client.delete_app(DeleteAppRequest(app_name=app))
    expect_error(lambda: client.show_consumer_state(ShowConsumerStateRequest(
        app_name=app, stream_name=stream, checkpoint_type="LAST_READ")), "DIS.4200")

    # A stream's own life cycle: created with a schema, tags and auto-scaling, scaled, changed,
    # and deleted with its tasks.
    csv = "sdk-csv-" + uuid.uuid4().hex[:6]
    schema = json.dumps({"type": "record", "name": "metric",
                         "fields": [{"name": "host", "type": "string"}, {"name": "value", "type": "double"}]})
    client.create_stream(CreateStreamRequest(body=CreateStreamReq(
        stream_name=csv, partition_count=2, stream_type="COMMON", data_type="CSV", data_duration=48,
        data_schema=schema, csv_properties=CSVProperties(delimiter=";"), compression_format="snappy",
        auto_scale_enabled=True, auto_scale_min_partition_count=1, auto_scale_max_partition_count=4,
        tags=[Tag(key="team", value="metrics")])))
    shown = client.show_stream(ShowStreamRequest(stream_name=csv))
    assert (shown.retention_period, shown.data_schema, shown.csv_properties.delimiter) == (48, schema, ";"), shown
    assert shown.auto_scale_enabled and shown.tags[0].key == "team", shown
    expect_error(lambda: client.create_stream(CreateStreamRequest(body=CreateStreamReq(
        stream_name="sdk-short", partition_count=1, data_duration=12))), "DIS.4200")
    expect_error(lambda: client.create_stream(CreateStreamRequest(body=CreateStreamReq(
        stream_name="sdk-many", partition_count=49))), "DIS.4308")

    client.update_partition_count(UpdatePartitionCountRequest(stream_name=csv, body=UpdatePartitionCountReq(
        stream_name=csv, target_partition_count=3)))
    scaled = client.show_stream(ShowStreamRequest(stream_name=csv))
    assert scaled.writable_partition_count == 3, scaled
    changes = [(c.src_partition_count, c.target_partition_count) for c in scaled.update_partition_counts]
    assert changes == [(2, 3)], changes
    expect_error(lambda: client.update_partition_count(UpdatePartitionCountRequest(
        stream_name=csv, body=UpdatePartitionCountReq(stream_name=csv, target_partition_count=3))), "DIS.4200")

    client.update_stream(UpdateStreamRequest(stream_name=csv, body=UpdateStreamReq(
        stream_name=csv, data_duration=72, auto_scale_enabled=False)))
    changed = client.show_stream(ShowStreamRequest(stream_name=csv))
    assert changed.retention_period == 72 and not changed.auto_scale_enabled, changed
    expect_error(lambda: client.update_stream(UpdateStreamRequest(stream_name=csv, body=UpdateStreamReq(
        stream_name=csv, data_duration=100))), "DIS.4200")

    client.delete_stream(DeleteStreamRequest(stream_name=csv))
    expect_error(lambda: client.show_stream(ShowStreamRequest(stream_name=csv)), "DIS.4301")
    client.delete_stream(DeleteStreamRequest(stream_name=stream))
    expect_error(lambda: client.list_transfer_tasks(ListTransferTasksRequest(stream_name=stream)), "DIS.4301")
    expect_error(lambda: client.delete_stream(DeleteStreamRequest(stream_name=stream)), "DIS.4301")

    # A wrong secret key is refused as DIS refuses it.
    bad = DisClient.new_builder().with_credentials(
        BasicCredentials(os.environ["DIS_AK"], "wrong-secret", os.environ["DIS_PROJECT_ID"])
    ).with_endpoints([endpoint]).build()
    try:
        bad.list_streams(ListStreamsRequest(limit=1))
        raise AssertionError("a wrong secret key was accepted")
    except exceptions.ClientRequestException as e:
        assert e.status_code == 441 and e.error_code == "DIS.4100", (e.status_code, e.error_code)

    print("official SDK: every operation agreed with the embedded backend")


if __name__ == "__main__":
    main(sys.argv[1])

"""The embedded OBS endpoint driven by two independent clients: boto3 (AWS's S3 SDK) and
Huawei's official esdk-obs-python, both signing with Signature V4.

A dump task made with the official DIS SDK writes a file; both clients list it (ListObjectsV2
and ListObjects), page through the listing, read the file whole and by range, and get S3's
refusals for a wrong key, a missing bucket and a key that tries to leave the bucket.

Usage: obs_clients.py DIS_ENDPOINT OBS_ENDPOINT   (credentials in DIS_AK, DIS_SK, DIS_PROJECT_ID)
"""

import base64
import json
import os
import sys
import time
import uuid

import boto3
import botocore.config
import botocore.exceptions
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkdis.v2 import (
    CreateObsTransferTaskRequest,
    CreateStreamReq,
    CreateStreamRequest,
    CreateTransferTaskReq,
    DisClient,
    OBSDestinationDescriptorRequest,
    PutRecordsRequest,
    PutRecordsRequestEntry,
    SendRecordsRequest,
)
from obs import GetObjectHeader, ObsClient

BUCKET = "sdk-obs-bucket"


def dump_a_file(dis_endpoint):
    """A text task with hourly directories on a new stream, three records, and its first dump."""
    ak, sk, project = os.environ["DIS_AK"], os.environ["DIS_SK"], os.environ["DIS_PROJECT_ID"]
    client = DisClient.new_builder().with_credentials(BasicCredentials(ak, sk, project)) \
        .with_endpoints([dis_endpoint]).build()
    stream = "obs_" + uuid.uuid4().hex[:8]
    client.create_stream(CreateStreamRequest(body=CreateStreamReq(
        stream_name=stream, partition_count=1, stream_type="COMMON", data_type="JSON", data_duration=24)))
    prefix = f"sdk/{stream}"
    descriptor = OBSDestinationDescriptorRequest(
        task_name="files", agency_name="dis_admin_agency", deliver_time_interval=30,
        obs_bucket_path=BUCKET, file_prefix=prefix, partition_format="yyyy/MM/dd/HH",
        destination_file_type="text", record_delimiter="\n", consumer_strategy="TRIM_HORIZON")
    client.create_obs_transfer_task(CreateObsTransferTaskRequest(
        stream_name=stream,
        body=CreateTransferTaskReq(destination_type="OBS", obs_destination_descriptor=descriptor)))
    records = [json.dumps({"n": n, "probe": stream}) for n in range(3)]
    sent = client.send_records(SendRecordsRequest(body=PutRecordsRequest(stream_name=stream, records=[
        PutRecordsRequestEntry(data=base64.b64encode(r.encode()).decode(), partition_key="k")
        for r in records])))
    assert sent.failed_record_count == 0, sent
    return prefix, records


def s3(obs_endpoint, secret, region):
    return boto3.client(
        "s3", endpoint_url=obs_endpoint, region_name=region,
        aws_access_key_id=os.environ["DIS_AK"], aws_secret_access_key=secret,
        config=botocore.config.Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                      retries={"max_attempts": 1}))


def wait_for_files(client, prefix):
    deadline = time.time() + 75
    while time.time() < deadline:
        listed = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
        if listed.get("KeyCount", 0) > 0:
            return [o["Key"] for o in listed["Contents"]]
        time.sleep(1)
    raise AssertionError(f"no file under {prefix} after 75 s")


def expect_code(call, code):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {e}"
        assert e.response["ResponseMetadata"].get("RequestId"), "the refusal carries a request id"
        return
    raise AssertionError(f"expected {code}, the call succeeded")


def with_boto3(obs_endpoint, prefix, records):
    client = s3(obs_endpoint, os.environ["DIS_SK"], "us-east-1")
    keys = wait_for_files(client, prefix)
    assert len(keys) == 1 and keys[0].startswith(prefix + "/") and keys[0].endswith(".txt"), keys
    key = keys[0]
    body = client.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()
    assert body.splitlines() == records, body
    part = client.get_object(Bucket=BUCKET, Key=key, Range="bytes=0-9")
    assert part["ContentRange"].startswith("bytes 0-9/"), part["ContentRange"]
    assert part["Body"].read().decode() == records[0][:10]
    head = client.head_object(Bucket=BUCKET, Key=key)
    assert head["ContentLength"] == len(body.encode()), head
    # The directories, one level at a time, and the v1 listing with a marker.
    top = client.list_objects_v2(Bucket=BUCKET, Prefix="sdk/", Delimiter="/")
    assert prefix + "/" in [p["Prefix"] for p in top.get("CommonPrefixes", [])], top
    v1 = client.list_objects(Bucket=BUCKET, Prefix=prefix, Marker=prefix)
    assert [o["Key"] for o in v1["Contents"]] == [key], v1
    # Any region in the scope; a wrong secret, a missing bucket and a key leaving the bucket
    # are refused as S3 refuses them.
    assert s3(obs_endpoint, os.environ["DIS_SK"], "cn-north-4").list_objects_v2(
        Bucket=BUCKET, Prefix=prefix)["KeyCount"] == 1
    expect_code(lambda: s3(obs_endpoint, "wrong-secret", "us-east-1").list_objects_v2(Bucket=BUCKET),
                "SignatureDoesNotMatch")
    expect_code(lambda: client.list_objects_v2(Bucket="no-such-bucket-here"), "NoSuchBucket")
    expect_code(lambda: client.get_object(Bucket=BUCKET, Key="sdk/../../state.json"), "InvalidArgument")
    expect_code(lambda: client.get_object(Bucket=BUCKET, Key=key + ".missing"), "NoSuchKey")
    return key


def with_esdk(obs_endpoint, prefix, key, records):
    host = obs_endpoint.split("://", 1)[1]
    client = ObsClient(access_key_id=os.environ["DIS_AK"], secret_access_key=os.environ["DIS_SK"],
                       server=f"http://{host}", is_secure=False, signature="v4", path_style=True,
                       region="cn-north-4", is_signature_negotiation=False)
    try:
        listed = client.listObjects(BUCKET, prefix=prefix)
        assert listed.status < 300, (listed.status, listed.errorCode, listed.errorMessage)
        assert [c.key for c in listed.body.contents] == [key], listed.body
        got = client.getObject(BUCKET, key, loadStreamInMemory=True)
        assert got.status < 300, (got.status, got.errorCode, got.errorMessage)
        assert got.body.buffer.decode().splitlines() == records
        part = client.getObject(BUCKET, key, getObjectRequest=None, headers=GetObjectHeader(range="0-4"),
                                loadStreamInMemory=True)
        assert part.status == 206 and part.body.buffer.decode() == records[0][:5], part.status
        meta = client.getObjectMetadata(BUCKET, key)
        assert meta.status < 300, (meta.status, meta.errorCode)
        missing = client.listObjects("no-such-bucket-here")
        assert missing.status == 404 and missing.errorCode == "NoSuchBucket", (missing.status, missing.errorCode)
        assert missing.requestId, "the refusal carries a request id"
    finally:
        client.close()


def main(dis_endpoint, obs_endpoint):
    prefix, records = dump_a_file(dis_endpoint)
    key = with_boto3(obs_endpoint, prefix, records)
    with_esdk(obs_endpoint, prefix, key, records)
    print(f"boto3 and esdk-obs-python listed and read {key}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

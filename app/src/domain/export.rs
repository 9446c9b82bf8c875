//! A dump task exported for use outside the console: the request JSON, a curl command, and
//! Java, Python and Go programs in the shape of the official SDK samples. Credentials are always
//! read from the environment, never written into a snippet.

use super::names::StreamName;
use super::stream::CreateStreamRequest;
use super::task::{DumpTask, PartitionFormat};

/// Regions the official SDKs know by name; elsewhere a snippet names the endpoint itself.
pub const SDK_REGIONS: [&str; 7] = [
    "cn-north-4",
    "cn-north-1",
    "cn-east-2",
    "cn-east-3",
    "cn-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
];

/// Where the exported call goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportTarget {
    pub endpoint: String,
    pub region: String,
    pub project_id: String,
    pub stream: StreamName,
}

impl ExportTarget {
    /// Whether the SDK's own region table gives this endpoint (`DisRegion.value_of`).
    fn sdk_region(&self) -> Option<&str> {
        let standard = format!("https://dis.{}.myhuaweicloud.com", self.region);
        (SDK_REGIONS.contains(&self.region.as_str())
            && self.endpoint.trim_end_matches('/') == standard)
            .then_some(self.region.as_str())
    }

    /// The import and the expression that give the SDK its region: the SDK's own table for the
    /// regions it knows, an explicit region id and endpoint otherwise.
    fn region(&self, sdk: SdkRegionSyntax) -> (&'static str, String) {
        match self.sdk_region() {
            Some(r) => (
                sdk.known_import,
                format!("{}({})", sdk.known_call, quoted(r)),
            ),
            None => (
                sdk.custom_import,
                format!(
                    "{}({}, {})",
                    sdk.custom_call,
                    quoted(&self.region),
                    quoted(&self.endpoint)
                ),
            ),
        }
    }

    fn url(&self) -> String {
        format!(
            "{}/v2/{}/streams/{}/transfer-tasks",
            self.endpoint.trim_end_matches('/'),
            self.project_id,
            self.stream
        )
    }
}

/// How one SDK names regions.
#[derive(Clone, Copy)]
struct SdkRegionSyntax {
    known_import: &'static str,
    known_call: &'static str,
    custom_import: &'static str,
    custom_call: &'static str,
}

const PYTHON_REGIONS: SdkRegionSyntax = SdkRegionSyntax {
    known_import: "from huaweicloudsdkdis.v2.region.dis_region import DisRegion",
    known_call: "DisRegion.value_of",
    custom_import: "from huaweicloudsdkcore.region.region import Region",
    custom_call: "Region",
};

const JAVA_REGIONS: SdkRegionSyntax = SdkRegionSyntax {
    known_import: "import com.huaweicloud.sdk.dis.v2.region.DisRegion;",
    known_call: "DisRegion.valueOf",
    custom_import: "import com.huaweicloud.sdk.core.region.Region;",
    custom_call: "new Region",
};

const GO_REGIONS: SdkRegionSyntax = SdkRegionSyntax {
    known_import: "region \"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dis/v2/region\"",
    known_call: "region.ValueOf",
    custom_import: "\"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region\"",
    custom_call: "region.NewRegion",
};

/// A string literal valid in Java, Python and Go alike.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The request body, exactly as the console sends it.
pub fn request_json(task: &DumpTask) -> String {
    task.request_body()
}

/// What a request does to the task it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `POST …/transfer-tasks`: adds the task.
    Create,
    /// `PUT …/transfer-tasks`: replaces the settings of the task of that name, whole.
    Modify,
}

/// The snippets a page shows for `task`, titled: the request JSON and curl for either call,
/// and programs in the official SDKs for a create (their models have no modify).
pub fn snippets(task: &DumpTask, target: &ExportTarget, call: Call) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("Request JSON", request_json(task)),
        ("curl", curl(task, target, call)),
    ];
    if call == Call::Create {
        out.push(("Python SDK", python(task, target)));
        out.push(("Java SDK", java(task, target)));
        out.push(("Go SDK", go(task, target)));
    }
    out
}

/// A curl command with an IAM token from `$DIS_AUTH_TOKEN` (curl cannot compute AK/SK
/// signatures, so the token form of authentication is the one it can use).
pub fn curl(task: &DumpTask, target: &ExportTarget, call: Call) -> String {
    let (method, note) = match call {
        Call::Create => ("POST", ""),
        Call::Modify => (
            "PUT",
            "# PUT replaces every setting of the task named in the body; the task keeps its\n\
             # position in the stream.\n",
        ),
    };
    curl_command(
        method,
        &target.url(),
        &target.project_id,
        note,
        &task.request_body(),
    )
}

/// `curl` sending `body` to `url`, authenticated by a token from the environment.
fn curl_command(method: &str, url: &str, project: &str, note: &str, body: &str) -> String {
    format!(
        "# Get a token first: POST https://iam.<region>.myhuaweicloud.com/v3/auth/tokens\n\
         # and export the X-Subject-Token header it returns as DIS_AUTH_TOKEN.\n\
         {note}\
         curl -sS -X {method} '{url}' \\\n  \
         -H 'Content-Type: application/json' \\\n  \
         -H \"X-Auth-Token: $DIS_AUTH_TOKEN\" \\\n  \
         -H 'X-Project-Id: {project}' \\\n  \
         --data-binary @- <<'JSON'\n{body}\nJSON\n",
    )
}

const ENV_NOTE: &str = "Credentials come from the environment variables CLOUD_SDK_AK and CLOUD_SDK_SK; never write them into code.";

fn size_note(task: &DumpTask, comment: &str) -> String {
    match task.deliver_size_interval {
        Some(mb) => format!(
            "{comment} deliver_size_interval ({mb} MB) is not in the SDK's models yet; send the request JSON to set it.\n"
        ),
        None => String::new(),
    }
}

/// A Python program using `huaweicloudsdkdis`.
pub fn python(task: &DumpTask, target: &ExportTarget) -> String {
    let d = task;
    let schema = match &d.processing_schema {
        Some(s) => {
            let fmt = s
                .timestamp
                .format()
                .map(|f| format!(",\n            timestamp_format={}", quoted(f.as_wire())))
                .unwrap_or_default();
            format!(
                "        processing_schema = ProcessingSchema(\n            timestamp_name={},\n            timestamp_type={}{fmt}\n        )\n",
                quoted(&s.timestamp_name),
                quoted(s.timestamp.timestamp_type().as_wire()),
            )
        }
        None => String::new(),
    };
    let schema_arg = if d.processing_schema.is_some() {
        "            processing_schema=processing_schema,\n"
    } else {
        ""
    };
    let body = format!(
        "        request = CreateObsTransferTaskRequest()\n        \
                 request.stream_name = {stream}\n\
         {schema}        \
                 descriptor = OBSDestinationDescriptorRequest(\n            \
                     task_name={task_name},\n            \
                     agency_name={agency},\n            \
                     deliver_time_interval={interval},\n            \
                     consumer_strategy={consumer},\n            \
                     file_prefix={prefix},\n            \
                     partition_format={partition},\n            \
                     obs_bucket_path={bucket},\n            \
                     destination_file_type={file_type},\n\
         {schema_arg}            \
                     record_delimiter={delimiter}\n        \
                 )\n        \
                 request.body = CreateTransferTaskReq(\n            \
                     destination_type=\"OBS\",\n            \
                     obs_destination_descriptor=descriptor\n        \
                 )\n",
        stream = quoted(target.stream.as_str()),
        task_name = quoted(d.task_name.as_str()),
        agency = quoted(d.agency_name.as_str()),
        interval = d.deliver_time_interval,
        consumer = quoted(d.consumer_strategy.as_wire()),
        prefix = quoted(d.file_prefix.as_str()),
        partition = quoted(d.partition_format.as_wire()),
        bucket = quoted(d.obs_bucket_path.as_str()),
        file_type = quoted(d.destination_file_type.as_wire()),
        delimiter = quoted(d.record_delimiter.as_wire()),
    );
    python_program(
        target,
        &size_note(task, "#"),
        &body,
        "create_obs_transfer_task",
    )
}

/// A Python program that builds a client from the environment's credentials, runs `body` (which
/// sets `request`, indented for the `try:`), sends it with `call` and prints the answer or DIS's
/// refusal.
fn python_program(target: &ExportTarget, note: &str, body: &str, call: &str) -> String {
    let (region_import, region) = target.region(PYTHON_REGIONS);
    format!(
        "# coding: utf-8\n\
         # {ENV_NOTE}\n\
         {note}\
         import os\n\
         from huaweicloudsdkcore.auth.credentials import BasicCredentials\n\
         {region_import}\n\
         from huaweicloudsdkcore.exceptions import exceptions\n\
         from huaweicloudsdkdis.v2 import *\n\
         \n\
         if __name__ == \"__main__\":\n    \
             ak = os.environ[\"CLOUD_SDK_AK\"]\n    \
             sk = os.environ[\"CLOUD_SDK_SK\"]\n    \
             project_id = {project}\n\
         \n    \
             credentials = BasicCredentials(ak, sk, project_id)\n\
         \n    \
             client = DisClient.new_builder() \\\n        \
                 .with_credentials(credentials) \\\n        \
                 .with_region({region}) \\\n        \
                 .build()\n\
         \n    \
             try:\n\
         {body}        \
                 response = client.{call}(request)\n        \
                 print(response)\n    \
             except exceptions.ClientRequestException as e:\n        \
                 print(e.status_code)\n        \
                 print(e.request_id)\n        \
                 print(e.error_code)\n        \
                 print(e.error_msg)\n",
        project = quoted(&target.project_id),
    )
}

/// A Java program using `com.huaweicloud.sdk.dis.v2`.
pub fn java(task: &DumpTask, target: &ExportTarget) -> String {
    let d = task;
    let (region_import, region) = target.region(JAVA_REGIONS);
    let (schema, schema_arg) = match &d.processing_schema {
        Some(s) => {
            let fmt = s
                .timestamp
                .format()
                .map(|f| {
                    format!(
                        "\n            .withTimestampFormat({})",
                        quoted(f.as_wire())
                    )
                })
                .unwrap_or_default();
            (
                format!(
                    "        ProcessingSchema processingSchema = new ProcessingSchema()\n            .withTimestampName({})\n            .withTimestampType({}){fmt};\n",
                    quoted(&s.timestamp_name),
                    quoted(s.timestamp.timestamp_type().as_wire()),
                ),
                "\n            .withProcessingSchema(processingSchema)",
            )
        }
        None => (String::new(), ""),
    };
    let partition = match d.partition_format {
        // The SDK's enum has no value for "no time directories": leaving it unset sends none.
        PartitionFormat::Flat => String::new(),
        p => format!(
            "\n            .withPartitionFormat(OBSDestinationDescriptorRequest.PartitionFormatEnum.fromValue({}))",
            quoted(p.as_wire())
        ),
    };
    format!(
        "// {ENV_NOTE}\n\
         {size}\
         package com.example.dis;\n\
         \n\
         import com.huaweicloud.sdk.core.auth.BasicCredentials;\n\
         import com.huaweicloud.sdk.core.auth.ICredential;\n\
         import com.huaweicloud.sdk.core.exception.ConnectionException;\n\
         import com.huaweicloud.sdk.core.exception.RequestTimeoutException;\n\
         import com.huaweicloud.sdk.core.exception.ServiceResponseException;\n\
         {region_import}\n\
         import com.huaweicloud.sdk.dis.v2.DisClient;\n\
         import com.huaweicloud.sdk.dis.v2.model.*;\n\
         \n\
         public class CreateObsTransferTask {{\n\
         \n    \
             public static void main(String[] args) {{\n        \
                 String ak = System.getenv(\"CLOUD_SDK_AK\");\n        \
                 String sk = System.getenv(\"CLOUD_SDK_SK\");\n        \
                 String projectId = {project};\n\
         \n        \
                 ICredential auth = new BasicCredentials()\n            \
                     .withProjectId(projectId)\n            \
                     .withAk(ak)\n            \
                     .withSk(sk);\n\
         \n        \
                 DisClient client = DisClient.newBuilder()\n            \
                     .withCredential(auth)\n            \
                     .withRegion({region})\n            \
                     .build();\n\
         \n        \
                 CreateObsTransferTaskRequest request = new CreateObsTransferTaskRequest();\n        \
                 request.withStreamName({stream});\n\
         {schema}        \
                 OBSDestinationDescriptorRequest descriptor = new OBSDestinationDescriptorRequest()\n            \
                     .withTaskName({task_name})\n            \
                     .withAgencyName({agency})\n            \
                     .withDeliverTimeInterval({interval})\n            \
                     .withConsumerStrategy(OBSDestinationDescriptorRequest.ConsumerStrategyEnum.fromValue({consumer}))\n            \
                     .withFilePrefix({prefix}){partition}\n            \
                     .withObsBucketPath({bucket})\n            \
                     .withDestinationFileType(OBSDestinationDescriptorRequest.DestinationFileTypeEnum.fromValue({file_type})){schema_arg}\n            \
                     .withRecordDelimiter({delimiter});\n        \
                 request.withBody(new CreateTransferTaskReq()\n            \
                     .withDestinationType(CreateTransferTaskReq.DestinationTypeEnum.fromValue(\"OBS\"))\n            \
                     .withObsDestinationDescriptor(descriptor));\n        \
                 try {{\n            \
                     CreateObsTransferTaskResponse response = client.createObsTransferTask(request);\n            \
                     System.out.println(response.toString());\n        \
                 }} catch (ConnectionException | RequestTimeoutException e) {{\n            \
                     e.printStackTrace();\n        \
                 }} catch (ServiceResponseException e) {{\n            \
                     System.out.println(e.getHttpStatusCode());\n            \
                     System.out.println(e.getRequestId());\n            \
                     System.out.println(e.getErrorCode());\n            \
                     System.out.println(e.getErrorMsg());\n        \
                 }}\n    \
             }}\n\
         }}\n",
        size = size_note(task, "//"),
        project = quoted(&target.project_id),
        stream = quoted(target.stream.as_str()),
        task_name = quoted(d.task_name.as_str()),
        agency = quoted(d.agency_name.as_str()),
        interval = d.deliver_time_interval,
        consumer = quoted(d.consumer_strategy.as_wire()),
        prefix = quoted(d.file_prefix.as_str()),
        bucket = quoted(d.obs_bucket_path.as_str()),
        file_type = quoted(d.destination_file_type.as_wire()),
        delimiter = quoted(d.record_delimiter.as_wire()),
    )
}

/// Go's name for a partition format value in the SDK's enum.
fn go_partition_const(p: PartitionFormat) -> Option<&'static str> {
    match p {
        PartitionFormat::Flat => None,
        PartitionFormat::Year => Some("YYYY"),
        PartitionFormat::Month => Some("YYYY_MM"),
        PartitionFormat::Day => Some("YYYY_MM_DD"),
        PartitionFormat::Hour => Some("YYYY_MM_DD_HH"),
        PartitionFormat::Minute => Some("YYYY_MM_DD_HH_MM"),
    }
}

/// A Go program using `huaweicloud-sdk-go-v3/services/dis/v2`.
pub fn go(task: &DumpTask, target: &ExportTarget) -> String {
    let d = task;
    let (region_import, region) = target.region(GO_REGIONS);
    let consumer = match d.consumer_strategy.as_wire() {
        "TRIM_HORIZON" => "TRIM_HORIZON",
        _ => "LATEST",
    };
    let file_type = d.destination_file_type.as_wire().to_ascii_uppercase();
    let partition = go_partition_const(d.partition_format)
        .map(|c| {
            format!(
                "\tpartitionFormat := model.GetObsDestinationDescriptorRequestPartitionFormatEnum().{c}\n"
            )
        })
        .unwrap_or_default();
    let partition_field = if partition.is_empty() {
        "\t\t// No PartitionFormat: the SDK's enum has no value for \"no time directories\".\n"
    } else {
        "\t\tPartitionFormat:     &partitionFormat,\n"
    };
    let schema = match &d.processing_schema {
        Some(s) => {
            let fmt = match s.timestamp.format() {
                Some(f) => format!("\ttimestampFormat := {}\n", quoted(f.as_wire())),
                None => String::new(),
            };
            let fmt_field = if fmt.is_empty() {
                ""
            } else {
                "\t\tTimestampFormat: &timestampFormat,\n"
            };
            format!(
                "{fmt}\tprocessingSchema := &model.ProcessingSchema{{\n\t\tTimestampName: {},\n\t\tTimestampType: {},\n{fmt_field}\t}}\n",
                quoted(&s.timestamp_name),
                quoted(s.timestamp.timestamp_type().as_wire()),
            )
        }
        None => String::new(),
    };
    let schema_field = if d.processing_schema.is_some() {
        "\t\tProcessingSchema:    processingSchema,\n"
    } else {
        ""
    };
    format!(
        "// {ENV_NOTE}\n\
         {size}\
         package main\n\
         \n\
         import (\n\
         \t\"fmt\"\n\
         \t\"os\"\n\
         \n\
         \t\"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic\"\n\
         \tdis \"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dis/v2\"\n\
         \t\"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dis/v2/model\"\n\
         \t{region_import}\n\
         )\n\
         \n\
         func main() {{\n\
         \tak := os.Getenv(\"CLOUD_SDK_AK\")\n\
         \tsk := os.Getenv(\"CLOUD_SDK_SK\")\n\
         \tprojectId := {project}\n\
         \n\
         \tauth, err := basic.NewCredentialsBuilder().\n\
         \t\tWithAk(ak).\n\
         \t\tWithSk(sk).\n\
         \t\tWithProjectId(projectId).\n\
         \t\tSafeBuild()\n\
         \tif err != nil {{\n\
         \t\tfmt.Println(err)\n\
         \t\treturn\n\
         \t}}\n\
         \n\
         \thcClient, err := dis.DisClientBuilder().\n\
         \t\tWithRegion({region}).\n\
         \t\tWithCredential(auth).\n\
         \t\tSafeBuild()\n\
         \tif err != nil {{\n\
         \t\tfmt.Println(err)\n\
         \t\treturn\n\
         \t}}\n\
         \tclient := dis.NewDisClient(hcClient)\n\
         \n\
         \trequest := &model.CreateObsTransferTaskRequest{{}}\n\
         \trequest.StreamName = {stream}\n\
         {schema}\
         \tconsumerStrategy := model.GetObsDestinationDescriptorRequestConsumerStrategyEnum().{consumer}\n\
         \tfilePrefix := {prefix}\n\
         {partition}\
         \tfileType := model.GetObsDestinationDescriptorRequestDestinationFileTypeEnum().{file_type}\n\
         \trecordDelimiter := {delimiter}\n\
         \tdescriptor := &model.ObsDestinationDescriptorRequest{{\n\
         \t\tTaskName:            {task_name},\n\
         \t\tAgencyName:          {agency},\n\
         \t\tDeliverTimeInterval: int32({interval}),\n\
         \t\tConsumerStrategy:    &consumerStrategy,\n\
         \t\tFilePrefix:          &filePrefix,\n\
         {partition_field}\
         \t\tObsBucketPath:       {bucket},\n\
         \t\tDestinationFileType: &fileType,\n\
         {schema_field}\
         \t\tRecordDelimiter:     &recordDelimiter,\n\
         \t}}\n\
         \trequest.Body = &model.CreateTransferTaskReq{{\n\
         \t\tDestinationType:          model.GetCreateTransferTaskReqDestinationTypeEnum().OBS,\n\
         \t\tObsDestinationDescriptor: descriptor,\n\
         \t}}\n\
         \tresponse, err := client.CreateObsTransferTask(request)\n\
         \tif err == nil {{\n\
         \t\tfmt.Printf(\"%+v\\n\", response)\n\
         \t}} else {{\n\
         \t\tfmt.Println(err)\n\
         \t}}\n\
         }}\n",
        size = size_note(task, "//"),
        project = quoted(&target.project_id),
        stream = quoted(target.stream.as_str()),
        prefix = quoted(d.file_prefix.as_str()),
        delimiter = quoted(d.record_delimiter.as_wire()),
        task_name = quoted(d.task_name.as_str()),
        agency = quoted(d.agency_name.as_str()),
        interval = d.deliver_time_interval,
        bucket = quoted(d.obs_bucket_path.as_str()),
    )
}

/// The snippets the create-stream form's review shows: the request JSON, curl, and a Python
/// program. (`target.stream` is not used: the stream is the request's.)
pub fn stream_snippets(
    request: &CreateStreamRequest,
    target: &ExportTarget,
) -> Vec<(&'static str, String)> {
    let body =
        serde_json::to_string_pretty(request).expect("plain structs of strings always serialise");
    let url = format!(
        "{}/v2/{}/streams",
        target.endpoint.trim_end_matches('/'),
        target.project_id
    );
    let curl = curl_command("POST", &url, &target.project_id, "", &body);
    let python = python_program(target, "", &python_stream(request), "create_stream");
    vec![
        ("Request JSON", body),
        ("curl", curl),
        ("Python SDK", python),
    ]
}

/// The lines of a Python program that set `request` to create the stream.
fn python_stream(r: &CreateStreamRequest) -> String {
    let python_bool = |b: bool| if b { "True" } else { "False" }.to_string();
    let text = |s: &Option<String>| s.as_deref().map(quoted);
    let number = |n: Option<u32>| n.map(|n| n.to_string());
    let tags = (!r.tags.is_empty()).then(|| {
        let list: Vec<String> = r
            .tags
            .iter()
            .map(|t| format!("Tag(key={}, value={})", quoted(&t.key), quoted(&t.value)))
            .collect();
        format!("[{}]", list.join(", "))
    });
    let args: Vec<(&str, Option<String>)> = vec![
        ("stream_name", Some(quoted(&r.stream_name))),
        ("partition_count", Some(r.partition_count.to_string())),
        ("stream_type", text(&r.stream_type)),
        ("data_type", text(&r.data_type)),
        ("data_duration", number(r.data_duration)),
        ("auto_scale_enabled", r.auto_scale_enabled.map(python_bool)),
        (
            "auto_scale_min_partition_count",
            number(r.auto_scale_min_partition_count),
        ),
        (
            "auto_scale_max_partition_count",
            number(r.auto_scale_max_partition_count),
        ),
        ("data_schema", text(&r.data_schema)),
        (
            "csv_properties",
            r.csv_properties
                .as_ref()
                .map(|c| format!("CSVProperties(delimiter={})", quoted(&c.delimiter))),
        ),
        ("compression_format", text(&r.compression_format)),
        ("tags", tags),
    ];
    let args: Vec<String> = args
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| format!("            {name}={v}")))
        .collect();
    format!(
        "        request = CreateStreamRequest()\n        \
                 request.body = CreateStreamReq(\n{}\n        )\n",
        args.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::task::{DataType, TaskDraft};

    fn task(edit: impl FnOnce(&mut TaskDraft)) -> DumpTask {
        let mut d = TaskDraft {
            task_name: "to-obs".into(),
            obs_bucket_path: "my-bucket".into(),
            file_prefix: "app/logs".into(),
            ..TaskDraft::default()
        };
        edit(&mut d);
        DumpTask::parse(&d, DataType::Json).unwrap()
    }

    fn target(endpoint: &str, region: &str) -> ExportTarget {
        ExportTarget {
            endpoint: endpoint.into(),
            region: region.into(),
            project_id: "0123456789abcdef0123456789abcdef".into(),
            stream: StreamName::parse("clicks").unwrap(),
        }
    }

    #[test]
    fn quoting_is_valid_in_every_language() {
        assert_eq!(quoted("plain"), "\"plain\"");
        assert_eq!(quoted("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    #[test]
    fn curl_sends_the_exact_body_with_a_token_from_the_environment() {
        let t = task(|_| {});
        let tgt = target("https://dis.cn-north-4.myhuaweicloud.com", "cn-north-4");
        let c = curl(&t, &tgt, Call::Create);
        assert!(c.contains(&t.request_body()));
        assert!(c.contains("curl -sS -X POST '"));
        let m = curl(&t, &tgt, Call::Modify);
        assert!(
            m.contains("curl -sS -X PUT '") && m.contains(&t.request_body()),
            "{m}"
        );
        let titles = |call| {
            snippets(&t, &tgt, call)
                .into_iter()
                .map(|(title, _)| title)
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(Call::Modify), ["Request JSON", "curl"]);
        assert_eq!(titles(Call::Create).len(), 5);
        assert!(c.contains("https://dis.cn-north-4.myhuaweicloud.com/v2/0123456789abcdef0123456789abcdef/streams/clicks/transfer-tasks"));
        assert!(c.contains("$DIS_AUTH_TOKEN"));
    }

    #[test]
    fn snippets_read_credentials_from_the_environment() {
        let t = task(|_| {});
        let tgt = target("https://dis.cn-north-4.myhuaweicloud.com", "cn-north-4");
        let py = python(&t, &tgt);
        assert!(
            py.contains("os.environ[\"CLOUD_SDK_AK\"]")
                && py.contains("DisRegion.value_of(\"cn-north-4\")")
        );
        assert!(py.contains("client.create_obs_transfer_task(request)"));
        assert!(py.contains("record_delimiter=\"\\n\""));
        let java_src = java(&t, &tgt);
        assert!(
            java_src.contains("System.getenv(\"CLOUD_SDK_SK\")")
                && java_src.contains("DisRegion.valueOf")
        );
        assert!(java_src.contains("PartitionFormatEnum.fromValue(\"yyyy/MM/dd\")"));
        let go_src = go(&t, &tgt);
        assert!(
            go_src.contains("os.Getenv(\"CLOUD_SDK_AK\")")
                && go_src.contains("region.ValueOf(\"cn-north-4\")")
        );
        assert!(go_src.contains("PartitionFormatEnum().YYYY_MM_DD"));
        assert!(go_src.contains("DestinationFileTypeEnum().TEXT"));
        for s in [&py, &java_src, &go_src] {
            assert!(!s.contains("processing_schema=") && !s.contains("ProcessingSchema("));
        }
    }

    #[test]
    fn custom_endpoints_and_optional_parts() {
        let t = task(|d| {
            d.partition_format = String::new();
            d.use_processing_schema = true;
            d.timestamp_name = "event\"time".into();
            d.timestamp_type = "String".into();
            d.timestamp_format = "yyyy-MM-dd HH:mm:ss".into();
            d.deliver_size_interval = "64".into();
            d.destination_file_type = "parquet".into();
        });
        let tgt = target("http://127.0.0.1:4000", "local");
        let py = python(&t, &tgt);
        assert!(
            py.contains("Region(\"local\", \"http://127.0.0.1:4000\")"),
            "{py}"
        );
        assert!(py.contains("timestamp_name=\"event\\\"time\""));
        assert!(py.contains("timestamp_format=\"yyyy-MM-dd HH:mm:ss\""));
        assert!(py.contains("deliver_size_interval (64 MB)"));
        let java_src = java(&t, &tgt);
        assert!(java_src.contains("new Region(\"local\""));
        assert!(!java_src.contains("withPartitionFormat"));
        assert!(java_src.contains(".withProcessingSchema(processingSchema)"));
        let go_src = go(&t, &tgt);
        assert!(go_src.contains("region.NewRegion(\"local\""));
        assert!(go_src.contains("No PartitionFormat"));
        assert!(go_src.contains("TimestampFormat: &timestampFormat"));
        assert!(go_src.contains("DestinationFileTypeEnum().PARQUET"));
        // A Timestamp schema has no format anywhere.
        let t = task(|d| {
            d.use_processing_schema = true;
            d.timestamp_name = "ts".into();
            d.timestamp_type = "Timestamp".into();
            d.timestamp_format = String::new();
        });
        for s in [
            python(&t, &tgt),
            java(&t, &tgt),
            go(&t, &tgt),
            t.request_body(),
        ] {
            assert!(
                !s.contains("imestamp_format") && !s.contains("TimestampFormat"),
                "{s}"
            );
        }
    }

    #[test]
    fn a_new_stream_exports_its_request_curl_and_python() {
        let request = crate::domain::stream_form::StreamDraft {
            stream_name: "orders".into(),
            data_type: "CSV".into(),
            delimiter: ";".into(),
            data_schema: r#"{"type":"record","name":"o","fields":[{"name":"id","type":"string"}]}"#
                .into(),
            auto_scale: "on".into(),
            auto_scale_min: "1".into(),
            auto_scale_max: "4".into(),
            tags: "team=orders".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let tgt = target("https://dis.cn-north-4.myhuaweicloud.com", "cn-north-4");
        let s = stream_snippets(&request, &tgt);
        let titles: Vec<&str> = s.iter().map(|(t, _)| *t).collect();
        assert_eq!(titles, ["Request JSON", "curl", "Python SDK"]);
        let json: CreateStreamRequest = serde_json::from_str(&s[0].1).unwrap();
        assert_eq!(json, request, "the JSON is the request, exactly");
        assert!(s[1].1.contains("curl -sS -X POST 'https://dis.cn-north-4.myhuaweicloud.com/v2/0123456789abcdef0123456789abcdef/streams'"));
        assert!(s[1].1.contains(&s[0].1));
        let py = &s[2].1;
        for expected in [
            "request.body = CreateStreamReq(",
            "stream_name=\"orders\",",
            "partition_count=1,",
            "auto_scale_enabled=True,",
            "auto_scale_max_partition_count=4,",
            "data_schema=\"{\\\"type\\\":\\\"record\\\",",
            "csv_properties=CSVProperties(delimiter=\";\"),",
            "tags=[Tag(key=\"team\", value=\"orders\")]\n        )",
            "response = client.create_stream(request)",
            "os.environ[\"CLOUD_SDK_AK\"]",
        ] {
            assert!(py.contains(expected), "{expected} in\n{py}");
        }
        assert!(
            !py.contains("compression_format"),
            "unset fields are left out"
        );
    }
}

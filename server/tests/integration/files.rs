//! What landed in OBS, read by the console's OBS client from the embedded OBS endpoint: listing
//! and paging, ranged reads, refusals; and the Files panel, first lines and the measured clock
//! through the server functions.

use crate::common::TestApp;
use app::domain::task::BucketName;
use app::domain::{DataType, DumpTask, TaskDraft};

fn bucket(name: &str) -> BucketName {
    BucketName::parse(name).unwrap()
}

fn reader(app: &TestApp) -> std::sync::Arc<dyn app::ports::ObsPort> {
    app.obs.reader.clone().expect("the embedded OBS is read")
}

/// Writes `n` files into a bucket of the embedded OBS, as a dump would.
fn write_files(app: &TestApp, bucket: &str, dir: &str, n: usize) {
    let folder = app
        .backend
        .as_ref()
        .unwrap()
        .obs_root()
        .join(bucket)
        .join(dir);
    std::fs::create_dir_all(&folder).unwrap();
    for i in 0..n {
        std::fs::write(
            folder.join(format!("f_{i:05}.txt")),
            format!("line {i}\nmore\n"),
        )
        .unwrap();
    }
}

#[tokio::test]
async fn listings_page_past_a_thousand_objects_and_reads_take_a_range() {
    let app = TestApp::spawn().await;
    write_files(&app, "many-files", "p/2026/12/01/10", 1_500);
    write_files(&app, "many-files", "q", 2);
    let obs = reader(&app);
    let b = bucket("many-files");
    let first = obs.list(&b, "p/", None, None).await.unwrap();
    assert_eq!(first.objects.len(), 1_000);
    assert_eq!(first.objects[0].key, "p/2026/12/01/10/f_00000.txt");
    let token = first.next.expect("a second page");
    let second = obs.list(&b, "p/", None, Some(&token)).await.unwrap();
    assert_eq!(second.objects.len(), 500);
    assert_eq!(second.objects[499].key, "p/2026/12/01/10/f_01499.txt");
    assert!(second.next.is_none());
    // The prefix narrows; sizes and times come back.
    let q = obs.list(&b, "q/", None, None).await.unwrap();
    assert_eq!(q.objects.len(), 2);
    assert_eq!(q.objects[0].size, 12);
    assert!(q.objects[0].last_modified_ms > 0);

    // An OBS that answers ListObjects (v1) alone, as Huawei's API reference documents it, is
    // paged on with its marker.
    app.backend.as_ref().unwrap().faults().list_v1_only();
    let first = obs.list(&b, "p/", None, None).await.unwrap();
    assert_eq!(first.objects.len(), 1_000);
    let marker = first.next.expect("a second page");
    assert_eq!(marker, "marker:p/2026/12/01/10/f_00999.txt");
    let second = obs.list(&b, "p/", None, Some(&marker)).await.unwrap();
    assert_eq!(second.objects.len(), 500);
    assert_eq!(second.objects[0].key, "p/2026/12/01/10/f_01000.txt");
    assert!(second.next.is_none());

    let head = obs.head(&b, "q/f_00001.txt").await.unwrap();
    assert_eq!(head.size, 12);
    let bytes = obs.first_bytes(&b, "q/f_00001.txt", 6).await.unwrap();
    assert_eq!(bytes, b"line 1");
}

#[tokio::test]
async fn refusals_carry_obs_codes_and_request_ids_and_say_what_to_do() {
    let app = TestApp::spawn().await;
    write_files(&app, "locked-files", "x", 1);
    app.backend
        .as_ref()
        .unwrap()
        .faults()
        .deny_read("locked-files");
    let obs = reader(&app);

    let denied = obs
        .list(&bucket("locked-files"), "", None, None)
        .await
        .unwrap_err();
    assert_eq!(denied.code.as_deref(), Some("AccessDenied"));
    assert!(denied.dis_request_id.is_some());
    let words = app::services::files::refusal_words(&denied, "locked-files");
    assert!(
        words.starts_with(
            "The console's key cannot read bucket locked-files (AccessDenied; request id "
        ),
        "{words}"
    );
    assert!(words.contains("obs:object:GetObject"), "{words}");

    let missing = obs
        .list(&bucket("no-such-files"), "", None, None)
        .await
        .unwrap_err();
    assert_eq!(missing.code.as_deref(), Some("NoSuchBucket"));
    let words = app::services::files::refusal_words(&missing, "no-such-files");
    assert!(
        words.starts_with("Bucket no-such-files does not exist"),
        "{words}"
    );

    write_files(&app, "open-files", "x", 1);
    let gone = obs
        .head(&bucket("open-files"), "x/none.txt")
        .await
        .unwrap_err();
    assert_eq!(gone.code.as_deref(), Some("NoSuchKey"));
}

/// The embedded OBS endpoint refuses what S3 refuses, in S3's words: no signature, a wrong
/// secret, a presigned URL past its time or not yet valid, keys that try to leave the bucket.
#[tokio::test]
async fn the_embedded_obs_refuses_as_s3_does() {
    use rusty_s3::{actions::S3Action, Bucket, Credentials, UrlStyle};
    use std::time::Duration;
    const AK: &str = "AKOBSREFUSALS0000001";
    const SK: &str = "obs-refusals-secret";
    let app = TestApp::spawn_with(|c| {
        c.embedded_keys = Some(server::config::AkSk {
            ak: secrecy::SecretString::from(AK),
            sk: secrecy::SecretString::from(SK),
        })
    })
    .await;
    write_files(&app, "guarded-files", "a", 1);
    std::fs::write(app.data_dir.path().join("secret.txt"), "not an object").unwrap();
    let backend = app.backend.as_ref().unwrap();
    let bucket = Bucket::new(
        backend.obs_endpoint().parse().unwrap(),
        UrlStyle::Path,
        "guarded-files",
        "us-east-1",
    )
    .unwrap();
    let http = reqwest::Client::new();
    let refusal = |url: url::Url| {
        let http = http.clone();
        async move {
            let answer = http.get(url).send().await.unwrap();
            let status = answer.status().as_u16();
            let body = answer.text().await.unwrap();
            let code = body
                .split("<Code>")
                .nth(1)
                .and_then(|c| c.split("</Code>").next())
                .unwrap_or_default()
                .to_owned();
            assert!(body.contains("<RequestId>"), "{body}");
            (status, code, body)
        }
    };

    let good = Credentials::new(AK, SK);
    let wrong = Credentials::new(AK, "not-the-secret");
    let now = jiff::Timestamp::now();
    let minutes = |m: i64| jiff::SignedDuration::from_secs(m * 60);
    let ok = bucket
        .get_object(Some(&good), "a/f_00000.txt")
        .sign(Duration::from_secs(60));
    assert_eq!(
        http.get(ok).send().await.unwrap().text().await.unwrap(),
        "line 0\nmore\n"
    );

    let unsigned = bucket.object_url("a/f_00000.txt");
    assert_eq!(refusal(unsigned).await.1, "AccessDenied");
    let forged = bucket
        .get_object(Some(&wrong), "a/f_00000.txt")
        .sign(Duration::from_secs(60));
    assert_eq!(refusal(forged).await.1, "SignatureDoesNotMatch");
    let stale = bucket
        .get_object(Some(&good), "a/f_00000.txt")
        .sign_with_time(Duration::from_secs(60), &(now - minutes(20)));
    let (status, code, body) = refusal(stale).await;
    assert_eq!((status, code.as_str()), (403, "AccessDenied"));
    assert!(body.contains("Request has expired"), "{body}");
    let early = bucket
        .get_object(Some(&good), "a/f_00000.txt")
        .sign_with_time(Duration::from_secs(60), &(now + minutes(20)));
    assert_eq!(refusal(early).await.1, "AccessDenied");

    // Whatever a client makes of `..`, nothing outside the bucket's folder is served (boto3,
    // which sends `..` as it is, gets InvalidArgument in make sdk; encoded separators are
    // decoded before the check, in dis-backend's unit tests).
    for key in [
        "../../secret.txt",
        "a/../../../secret.txt",
        "a/..%2F..%2Fsecret.txt",
    ] {
        let url = bucket
            .get_object(Some(&good), key)
            .sign(Duration::from_secs(60));
        let (status, code, body) = refusal(url).await;
        assert!(
            status >= 400 && !body.contains("not an object"),
            "{key}: {status} {code}"
        );
    }

    // A v1 listing with a delimiter groups keys into common prefixes.
    let mut list = bucket.list_objects_v2(Some(&good));
    list.query_mut().remove("list-type");
    list.with_delimiter("/");
    let answer = http
        .get(list.sign(Duration::from_secs(60)))
        .send()
        .await
        .unwrap();
    let body = answer.text().await.unwrap();
    assert!(
        body.contains("<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>"),
        "{body}"
    );
    assert!(
        body.contains("<Marker></Marker>") && !body.contains("<KeyCount>"),
        "{body}"
    );
}

/// A console whose stream `filing` has a text task `writer` (minute directories under
/// `events` in bucket `panel-files`) that dumped three times, 40 s apart, two records each.
/// Minute directories: only one clock in use names those minutes, whatever the time of the test.
async fn three_dumps() -> TestApp {
    let app = TestApp::spawn().await;
    let s = app.json_stream("filing").await;
    let task = DumpTask::parse(
        &TaskDraft {
            task_name: "writer".into(),
            obs_bucket_path: "panel-files".into(),
            file_prefix: "events".into(),
            partition_format: "yyyy/MM/dd/HH/mm".into(),
            deliver_time_interval: "30".into(),
            ..TaskDraft::default()
        },
        DataType::Json,
    )
    .unwrap();
    app.dis.add_dump_task(&s, &task).await.unwrap();
    let backend = app.backend.as_ref().unwrap();
    let now = app::clock::now_ms();
    for n in 0..3 {
        let records = (0..2).map(|i| (None, format!(r#"{{"dump":{n},"i":{i}}}"#)));
        app.dis
            .put_records(&crate::common::put_request(s.as_str(), records))
            .await
            .unwrap();
        backend.dump_at(now + 31_000 + 40_000 * n).unwrap();
    }
    app
}

#[tokio::test]
async fn the_clock_is_measured_in_the_background_from_the_overviews_running_tasks() {
    use app::ports::OverviewSource;
    let app = three_dumps().await;
    let overview =
        server::overview::OverviewCache::new(app.dis.clone(), std::time::Duration::from_secs(30));
    let snapshot = overview.refresh().await;
    assert!(app.obs.finding().is_none());
    let found =
        server::clock::measure_once(&snapshot, app.dis.as_ref(), &app.obs, app::clock::now_ms())
            .await;
    assert!(
        matches!(
            found,
            Some(app::domain::clock::ClockFinding::Measured { files: 3, .. })
        ),
        "{found:?}"
    );
    // Every page's previews now read the measured clock.
    let (_, status) = app.post_form("/api/console_status", String::new()).await;
    assert_eq!(
        status["clock"]["source"]["Measured"]["files"], 3,
        "{status}"
    );
    assert_eq!(status["clock"]["zone_minutes"], 480, "{status}");
}

#[tokio::test]
async fn the_files_panel_lists_dumps_shows_first_lines_and_measures_the_clock() {
    let app = three_dumps().await;
    let (status, html) = part(
        &app,
        serde_json::json!({"TaskFiles": {"stream": "filing", "task": "writer", "day": "", "page": 0}}),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("DIS wrote 3 of 3 recent files in UTC+8 directories."),
        "{html}"
    );
    assert!(html.contains("measured from 3 files"), "{html}");
    assert_eq!(
        html.matches("Show first lines</button>").count(),
        3,
        "{html}"
    );
    assert!(html.contains("Last 24 hours by directory"));
    let key = html
        .split("data-value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(
        key.starts_with("events/") && key.contains("writer_shardId-0000000000"),
        "{key}"
    );

    // The task's day directories are offered; one shows its files, and only its own are taken.
    let day = html
        .split("data-action=\"files-day\" data-value=\"")
        .nth(2)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(
        day.starts_with("events/") && day.ends_with('/') && day.len() == "events/2026/12/01/".len(),
        "{day}"
    );
    let (status, in_day) = part(
        &app,
        serde_json::json!({"TaskFiles": {"stream": "filing", "task": "writer", "day": day, "page": 0}}),
    )
    .await;
    assert_eq!(status, 200, "{in_day}");
    assert!(in_day.contains(&format!("in {day}")), "{in_day}");
    assert!(in_day.contains("By directory"), "{in_day}");
    let (status, _) = part(
        &app,
        serde_json::json!({"TaskFiles": {"stream": "filing", "task": "writer", "day": "events/../", "page": 0}}),
    )
    .await;
    assert_eq!(status, 400);

    // The previews now say where their clock comes from.
    let (_, status_json) = app.post_form("/api/console_status", String::new()).await;
    assert_eq!(
        status_json["clock"]["source"]["Measured"]["files"], 3,
        "{status_json}"
    );

    // The newest file holds the last dump's records.
    let (status, lines) = part(
        &app,
        serde_json::json!({"FirstLines": {"stream": "filing", "task": "writer", "key": key}}),
    )
    .await;
    assert_eq!(status, 200, "{lines}");
    assert!(
        lines.contains("{&quot;dump&quot;:2,&quot;i&quot;:0}")
            || lines.contains(r#"{"dump":2,"i":0}"#),
        "{lines}"
    );

    // Only the task's own files, and only for operators.
    let (status, refused) = part(&app, serde_json::json!({"FirstLines": {"stream": "filing", "task": "writer", "key": "../state.json"}})).await;
    assert_eq!(status, 400, "{refused}");
    let viewer = app.client_as(app::domain::Role::Viewer).await;
    let (refused, _) = app
        .part_as(
            &viewer,
            serde_json::json!({"FirstLines": {"stream": "filing", "task": "writer", "key": key}}),
        )
        .await;
    assert_eq!(refused, 403);
    let (_, viewer_panel) = app
        .part_as(
            &viewer,
            serde_json::json!({"TaskFiles": {"stream": "filing", "task": "writer", "day": "", "page": 0}}),
        )
        .await;
    assert!(
        viewer_panel.contains("UTC+8 directories") && !viewer_panel.contains("Show first lines")
    );

    // The stream page's last hour.
    let (status, hour) = part(
        &app,
        serde_json::json!({"StreamFiles": {"stream": "filing"}}),
    )
    .await;
    assert_eq!(status, 200, "{hour}");
    assert!(hour.contains(">writer<") && hour.contains(">3<"), "{hour}");
}

/// A part of a page as `admin` asks for it: the status and the HTML (or the error's JSON).
async fn part(app: &TestApp, value: serde_json::Value) -> (u16, String) {
    let (status, body) = app
        .post_as(
            "application/json",
            "/api/get_part",
            serde_json::json!({ "part": value }).to_string(),
        )
        .await;
    let text = body
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| body.to_string());
    (status, text)
}

//! DIS's API, by resource. Every route sits behind fault injection and authentication; the
//! embedded IAM sits beside them.

mod apps;
mod consume;
mod metrics;
mod records;
mod streams;
mod tasks;

use crate::refusal::Refusal;
use crate::{auth, faults, Shared};
use axum::{
    extract::State,
    http::{HeaderValue, StatusCode},
    middleware,
    response::Response,
    routing::{get, post, put},
    Router,
};
use std::sync::Arc;

pub(crate) use consume::Cursor;

type Backend = State<Arc<Shared>>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route(
            "/v2/{project}/streams",
            get(streams::list).post(streams::create),
        )
        .route(
            "/v2/{project}/streams/{stream}",
            get(streams::describe)
                .put(streams::scale)
                .delete(streams::delete),
        )
        .route("/v3/{project}/streams/{stream}", put(streams::update))
        .route("/v2/{project}/apps", get(apps::list).post(apps::create))
        .route(
            "/v2/{project}/apps/{app}",
            get(apps::show).delete(apps::delete),
        )
        .route(
            "/v2/{project}/apps/{app}/streams/{stream}",
            get(apps::consumer_state),
        )
        .route("/v2/{project}/checkpoints", post(apps::commit_checkpoint))
        .route(
            "/v2/{project}/streams/{stream}/metrics",
            get(metrics::stream),
        )
        .route(
            "/v2/{project}/streams/{stream}/partitions/{partition}/metrics",
            get(metrics::partition),
        )
        .route(
            "/v2/{project}/streams/{stream}/transfer-tasks",
            get(tasks::list).post(tasks::create).put(tasks::update),
        )
        .route(
            "/v2/{project}/streams/{stream}/transfer-tasks/{task}",
            get(tasks::show).delete(tasks::delete).post(tasks::action),
        )
        .route(
            "/v2/{project}/records",
            post(records::put).get(consume::records),
        )
        .route("/v2/{project}/cursors", get(consume::cursor))
        .fallback(|| async { Refusal::new(StatusCode::NOT_FOUND, "DIS.4200", "No such API.") })
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            auth::authenticate,
        ))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults::inject,
        ));
    Router::new()
        .route("/v3/auth/tokens", post(auth::iam_tokens))
        .merge(api)
        .layer(middleware::map_response(add_request_id))
        .with_state(shared)
}

async fn add_request_id(mut response: Response) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

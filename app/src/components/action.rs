//! An action an operator starts from a page: a progress line while it runs, and its error in
//! plain words (with the request id) when it fails.

use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// What a page shows of its running action. `busy` is the progress line, `None` when idle.
#[derive(Clone, Copy)]
pub struct Pending {
    pub busy: RwSignal<Option<&'static str>>,
    pub problem: RwSignal<Option<String>>,
}

impl Pending {
    pub fn new() -> Pending {
        Pending {
            busy: RwSignal::new(None),
            problem: RwSignal::new(None),
        }
    }

    /// Whether an action is running (its buttons wait).
    pub fn running(self) -> bool {
        self.busy.get().is_some()
    }

    /// Runs `work` in the browser, saying `progress` meanwhile; `done` gets its result, and a
    /// failure becomes the page's problem.
    pub fn run<T: 'static>(
        self,
        progress: &'static str,
        work: impl Future<Output = Result<T, AppError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        self.attempt(
            progress,
            work,
            Box::new(move |result| match result {
                Ok(value) => done(value),
                Err(e) => self.problem.set(Some(e.to_string())),
            }),
        );
    }

    /// Runs `work` like [`Pending::run`], but `done` gets a failure too, to put it where the
    /// operator can act on it.
    pub fn attempt<T: 'static>(
        self,
        progress: &'static str,
        work: impl Future<Output = Result<T, AppError>> + 'static,
        done: Box<dyn FnOnce(Result<T, AppError>)>,
    ) {
        // Boxed, so every action of the same result shares one copy of the code below.
        let work: Pin<Box<dyn Future<Output = Result<T, AppError>>>> = Box::pin(work);
        self.busy.set(Some(progress));
        self.problem.set(None);
        leptos::task::spawn_local(async move {
            let result = work.await;
            self.busy.set(None);
            done(result);
        });
    }
}

impl Default for Pending {
    fn default() -> Self {
        Pending::new()
    }
}

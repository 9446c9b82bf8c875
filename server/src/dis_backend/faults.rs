//! Fault injection, for tests: the next N calls to the DIS API misbehave in a chosen way.
//! Switched only through [`super::BackendHandle::faults`] in Rust; no HTTP route reaches it.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Carry out the call, then answer only after this delay.
    Latency(Duration),
    /// HTTP 500 with DIS.5000.
    SystemError,
    /// Close the connection without a complete answer.
    DropConnection,
    /// HTTP 200 whose body is not JSON.
    MalformedJson,
    /// HTTP 441 with DIS.4100 (bad signature), whatever the request's signature.
    Reject441,
}

#[derive(Debug, Default)]
pub struct Faults {
    queue: Mutex<VecDeque<Fault>>,
}

impl Faults {
    /// Makes the next `calls` calls fail with `fault` (after any already queued).
    pub fn inject(&self, fault: Fault, calls: usize) {
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        q.extend(std::iter::repeat_n(fault, calls));
    }

    pub fn clear(&self) {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub(super) fn next(&self) -> Option<Fault> {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop_front()
    }
}

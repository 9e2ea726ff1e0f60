//! Group commit: webhook handlers hand their delivery to one writer task and wait; the
//! writer takes everything queued at that moment, stores it in one transaction, commits,
//! and only then answers every waiting handler. One durable commit (one fsync) is shared by
//! all the requests that arrived while the previous commit ran, so throughput grows with
//! concurrency while each 200 still means "committed".

use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::store::{Delivery, Store};

/// At most this many deliveries in one transaction…
const MAX_BATCH: usize = 512;
/// …and at most about this many body bytes (a payload may be 3 MB).
const MAX_BATCH_BYTES: usize = 16 * 1024 * 1024;
/// Deliveries waiting for the writer; handlers beyond this wait to enqueue.
const QUEUE: usize = 4096;

type Reply = oneshot::Sender<Result<(), IngestError>>;

/// The handle webhook handlers submit deliveries through. Cloning shares one writer.
#[derive(Clone)]
pub struct Ingest {
    queue: mpsc::Sender<(Delivery, Reply)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("the database refused the batch")]
    Store,
    #[error("the relay is shutting down")]
    Stopped,
}

impl Ingest {
    /// Starts the writer task. It ends once every `Ingest` clone is dropped and the queue is
    /// drained. After each commit that added events, the last cursor is sent on `committed`.
    pub fn start<S: Store>(store: S, committed: broadcast::Sender<u64>) -> (Self, JoinHandle<()>) {
        let (queue, receiver) = mpsc::channel(QUEUE);
        let writer = tokio::spawn(write_batches(store, receiver, committed));
        (Self { queue }, writer)
    }

    /// Returns once the delivery is committed (or the batch holding it failed).
    pub async fn submit(&self, delivery: Delivery) -> Result<(), IngestError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((delivery, reply))
            .await
            .map_err(|_| IngestError::Stopped)?;
        answer.await.unwrap_or(Err(IngestError::Stopped))
    }
}

async fn write_batches<S: Store>(
    store: S,
    mut queue: mpsc::Receiver<(Delivery, Reply)>,
    committed: broadcast::Sender<u64>,
) {
    while let Some(first) = queue.recv().await {
        let mut bytes = first.0.body.len();
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH && bytes < MAX_BATCH_BYTES {
            match queue.try_recv() {
                Ok(next) => {
                    bytes += next.0.body.len();
                    batch.push(next);
                }
                Err(_) => break,
            }
        }
        let (deliveries, replies): (Vec<Delivery>, Vec<Reply>) = batch.into_iter().unzip();
        let size = deliveries.len();
        let outcome = match store.ingest(deliveries).await {
            Ok(receipt) => {
                tracing::debug!(
                    deliveries = size,
                    new_payloads = receipt.new_payloads,
                    new_events = receipt.new_events,
                    "batch committed"
                );
                if receipt.new_events > 0 {
                    // No receiver (no desktop streaming) is fine.
                    let _ = committed.send(receipt.last_seq);
                }
                Ok(())
            }
            Err(error) => {
                tracing::error!(deliveries = size, %error, "storing a batch of webhooks failed");
                Err(IngestError::Store)
            }
        };
        for reply in replies {
            // The handler may have gone (client hung up); the delivery is stored anyway.
            let _ = reply.send(outcome);
        }
    }
}

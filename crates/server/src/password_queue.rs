//! A bounded queue in front of password checks.
//!
//! An Argon2 check takes ~19 MiB of memory and tens of milliseconds of CPU. At most `workers` checks run
//! at once, each in a memory area kept for reuse (a fresh 19 MiB allocation per check is not given back
//! by the system allocator: sequential checks grew the server by 19 MiB each), and at most `capacity`
//! sign-ins wait or run; beyond that the caller answers 503 with `Retry-After`.

use crate::ids::random_bytes;
use crate::AppError;
use argon2::password_hash::{Output, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Stored hashes asking for more memory than this (256 MiB) never verify: a tampered row must not be
/// able to exhaust memory.
const MAX_BLOCKS: usize = 256 * 1024;

#[derive(Debug)]
pub struct PasswordQueue {
    running: Arc<Semaphore>,
    admitted: Arc<AtomicUsize>,
    capacity: usize,
    /// Memory areas of finished checks, at most one per worker.
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
}

/// The queue is full.
#[derive(Debug, PartialEq, Eq)]
pub struct Busy;

impl From<Busy> for AppError {
    /// 503 `busy` with `Retry-After: 1`: the caller may simply try again.
    fn from(_: Busy) -> Self {
        tracing::warn!("password queue full: 503");
        AppError {
            retry_after_s: Some(1),
            ..AppError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "Many people are signing in right now. Please try again in a moment.",
            )
        }
    }
}

struct Admission(Arc<AtomicUsize>);

impl Drop for Admission {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl PasswordQueue {
    pub fn new(workers: usize, capacity: usize) -> Self {
        Self {
            running: Arc::new(Semaphore::new(workers.max(1))),
            admitted: Arc::new(AtomicUsize::new(0)),
            capacity: capacity.max(workers.max(1)),
            memory: Arc::default(),
        }
    }

    /// Whether `password` matches the stored PHC string; `Ok(None)` if the check could not run, and
    /// `Err(Busy)` at once when the queue is full.
    pub async fn verify(&self, password: String, stored: String) -> Result<Option<bool>, Busy> {
        let memory = self.memory.clone();
        self.run(move || verify_pooled(&memory, &password, &stored))
            .await
    }

    /// A password change: checks `password` against `stored` and, when it is right, hashes
    /// `new_password`, both in one slot of the queue. `Ok(None)`: the password is wrong.
    pub async fn verify_then_hash(
        &self,
        password: String,
        stored: String,
        new_password: String,
    ) -> Result<Option<String>, AppError> {
        let memory = self.memory.clone();
        let outcome = self
            .run(move || {
                verify_pooled(&memory, &password, &stored)
                    .then(|| hash_password(&new_password))
                    .transpose()
            })
            .await?;
        outcome.ok_or_else(AppError::internal)?
    }

    /// Hashes a new password (a reset through a link: there is no current password to check).
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let outcome = self.run(move || hash_password(&password)).await?;
        outcome.ok_or_else(AppError::internal)?
    }

    /// Runs `check` on a blocking thread once a worker is free.
    async fn run<T: Send + 'static>(
        &self,
        check: impl FnOnce() -> T + Send + 'static,
    ) -> Result<Option<T>, Busy> {
        if self.admitted.fetch_add(1, Ordering::SeqCst) >= self.capacity {
            self.admitted.fetch_sub(1, Ordering::SeqCst);
            return Err(Busy);
        }
        let admission = Admission(self.admitted.clone());
        let Ok(permit) = self.running.clone().acquire_owned().await else {
            return Ok(None);
        };
        // Both move into the blocking task: a client that hangs up does not free the worker slot
        // while its check is still running.
        let result = tokio::task::spawn_blocking(move || {
            let value = check();
            drop((permit, admission));
            value
        })
        .await;
        Ok(result.ok())
    }
}

/// [`verify_with_memory`] in a memory area taken from `pool` and put back after.
fn verify_pooled(pool: &Mutex<Vec<Vec<Block>>>, password: &str, stored: &str) -> bool {
    let mut blocks = pool
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pop()
        .unwrap_or_default();
    let right = verify_with_memory(password, stored, &mut blocks);
    pool.lock().unwrap_or_else(|e| e.into_inner()).push(blocks);
    right
}

/// [`verify_password`] computed in `blocks` (grown as the stored parameters need).
pub fn verify_with_memory(password: &str, stored: &str, blocks: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let needed = params.block_count();
    if needed > MAX_BLOCKS {
        return false;
    }
    if blocks.len() < needed {
        blocks.resize(needed, Block::default());
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params);
    if argon2
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut blocks[..])
        .is_err()
    {
        return false;
    }
    // `Output`'s comparison takes the same time wherever the first difference is.
    Output::new(&out).is_ok_and(|computed| computed == expected)
}

/// Hashes a password with Argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(|_| AppError::internal())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| AppError::internal())
}

/// Checks a password against a stored PHC string; a malformed stored hash never verifies.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A PHC hash of a password nobody has, verified against when the e-mail is unknown so that the answer
/// takes as long as for a known e-mail (no timing hint whether an account exists).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no-such-account").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn password_hash_verifies_only_the_right_password() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct hors", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn reused_memory_verifies_exactly_like_the_library() {
        let hash = hash_password("correct horse").unwrap();
        let mut blocks = Vec::new();
        assert!(verify_with_memory("correct horse", &hash, &mut blocks));
        assert!(!verify_with_memory("correct hors", &hash, &mut blocks));
        assert!(verify_with_memory("correct horse", &hash, &mut blocks));
        assert!(!verify_with_memory(
            "correct horse",
            "not a hash",
            &mut blocks
        ));
        let greedy = hash.replace("m=19456", "m=4000000");
        assert!(!verify_with_memory("correct horse", &greedy, &mut blocks));
        let other_salt = hash_password("correct horse").unwrap();
        assert_ne!(other_salt, hash);
        assert!(verify_with_memory(
            "correct horse",
            &other_salt,
            &mut blocks
        ));
    }

    #[tokio::test]
    async fn the_queue_refuses_beyond_its_capacity() {
        let queue = Arc::new(PasswordQueue::new(1, 2));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let wait = Arc::new(Mutex::new(wait));
        let mut running = Vec::new();
        for _ in 0..2 {
            let queue = queue.clone();
            let wait = wait.clone();
            running.push(tokio::spawn(async move {
                queue
                    .run(move || {
                        let _ = wait.lock().map(|w| w.recv());
                    })
                    .await
            }));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(queue.run(|| ()).await, Err(Busy));
        release.send(()).unwrap();
        release.send(()).unwrap();
        for task in running {
            assert_eq!(task.await.unwrap(), Ok(Some(())));
        }
        assert_eq!(queue.run(|| 7).await, Ok(Some(7)));
    }
}

//! Where drafts and the outbox live on the device: IndexedDB, else `localStorage`, else memory (with
//! the respondent told that closing the page would lose the answers).
//!
//! IndexedDB requests are awaited by handing the promise's `resolve` to both `onsuccess` and
//! `onerror` and reading the request's own error afterwards: no Rust closures to keep alive or leak.

use rapport_core::VecMap;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransactionMode, Storage};

const DB_NAME: &str = "rapport-survey";
const STORE: &str = "drafts";

thread_local! {
    // Shared by every widget on the page, so that a reset or a remount finds what was there. A sorted
    // vector: a few drafts at most, and no hash map's code in the widget.
    static MEMORY: RefCell<VecMap<String, String>> = const { RefCell::new(VecMap::new()) };
}

/// A key–value store of strings.
#[derive(Clone)]
pub enum Store {
    Idb(IdbDatabase),
    Local(Storage),
    Memory,
}

impl Store {
    /// The best store this browser allows.
    pub async fn open() -> Store {
        if let Some(db) = open_idb().await {
            return Store::Idb(db);
        }
        if let Some(storage) = local_storage() {
            return Store::Local(storage);
        }
        Store::Memory
    }

    /// Whether what is saved survives closing the page.
    pub fn is_persistent(&self) -> bool {
        !matches!(self, Store::Memory)
    }

    pub async fn get(&self, key: &str) -> Option<String> {
        match self {
            Store::Idb(db) => {
                let store = object_store(db, IdbTransactionMode::Readonly)?;
                let value = await_request(store.get(&key.into()).ok()?).await?;
                value.as_string()
            }
            Store::Local(s) => s.get_item(key).ok().flatten(),
            Store::Memory => MEMORY.with(|m| m.borrow().get(key).cloned()),
        }
    }

    /// Saves a value; `false` when the browser refused (quota, storage switched off meanwhile).
    pub async fn put(&self, key: &str, value: &str) -> bool {
        match self {
            Store::Idb(db) => {
                let Some(store) = object_store(db, IdbTransactionMode::Readwrite) else {
                    return false;
                };
                match store.put_with_key(&value.into(), &key.into()) {
                    Ok(request) => await_request(request).await.is_some(),
                    Err(_) => false,
                }
            }
            Store::Local(s) => s.set_item(key, value).is_ok(),
            Store::Memory => {
                MEMORY.with(|m| m.borrow_mut().insert(key.to_owned(), value.to_owned()));
                true
            }
        }
    }

    pub async fn delete(&self, key: &str) {
        match self {
            Store::Idb(db) => {
                if let Some(store) = object_store(db, IdbTransactionMode::Readwrite) {
                    if let Ok(request) = store.delete(&key.into()) {
                        await_request(request).await;
                    }
                }
            }
            Store::Local(s) => {
                let _ = s.remove_item(key);
            }
            Store::Memory => {
                MEMORY.with(|m| m.borrow_mut().remove(key));
            }
        }
    }

    /// Every key in the store.
    pub async fn keys(&self) -> Vec<String> {
        match self {
            Store::Idb(db) => {
                let Some(store) = object_store(db, IdbTransactionMode::Readonly) else {
                    return Vec::new();
                };
                let Some(request) = store.get_all_keys().ok() else {
                    return Vec::new();
                };
                await_request(request)
                    .await
                    .and_then(|value| value.dyn_into::<js_sys::Array>().ok())
                    .map(|keys| keys.iter().filter_map(|k| k.as_string()).collect())
                    .unwrap_or_default()
            }
            Store::Local(s) => (0..s.length().unwrap_or(0))
                .filter_map(|i| s.key(i).ok().flatten())
                .collect(),
            Store::Memory => MEMORY.with(|m| m.borrow().keys().cloned().collect()),
        }
    }

    /// The value under `key`, or `init` stored and returned when there is none. In IndexedDB the read
    /// and the write are one transaction, so two tabs opening the same survey at once end up with the
    /// same draft (and so the same idempotency key).
    pub async fn get_or_init(&self, key: &str, init: &str) -> String {
        if let Store::Idb(db) = self {
            if let Some(store) = object_store(db, IdbTransactionMode::Readwrite) {
                if let Ok(request) = store.get(&key.into()) {
                    // The transaction stays active in the microtasks that follow its success event,
                    // which is where this future resumes.
                    match await_request(request).await.and_then(|v| v.as_string()) {
                        Some(existing) => return existing,
                        None => {
                            if let Ok(put) = store.put_with_key(&init.into(), &key.into()) {
                                if await_request(put).await.is_some() {
                                    return init.to_owned();
                                }
                            }
                        }
                    }
                }
            }
        }
        if let Some(existing) = self.get(key).await {
            return existing;
        }
        self.put(key, init).await;
        init.to_owned()
    }
}

fn local_storage() -> Option<Storage> {
    let storage = web_sys::window()?.local_storage().ok()??;
    // Safari's private mode used to hand out a store that throws on every write: test it.
    let probe = "rapport-survey-probe";
    storage.set_item(probe, "1").ok()?;
    let _ = storage.remove_item(probe);
    Some(storage)
}

fn object_store(db: &IdbDatabase, mode: IdbTransactionMode) -> Option<IdbObjectStore> {
    db.transaction_with_str_and_mode(STORE, mode)
        .ok()?
        .object_store(STORE)
        .ok()
}

async fn open_idb() -> Option<IdbDatabase> {
    let factory = web_sys::window()?.indexed_db().ok()??;
    let request = factory.open_with_u32(DB_NAME, 1).ok()?;
    // The first open creates the object store; `upgradeneeded` fires before `success`.
    let upgrade = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
        move |event: web_sys::Event| {
            let db = event
                .target()
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
            if let Some(db) = db {
                if !db.object_store_names().contains(STORE) {
                    let _ = db.create_object_store(STORE);
                }
            }
        },
    );
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = await_request(request.clone().into()).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    result?.dyn_into::<IdbDatabase>().ok()
}

/// Waits for a request; `None` when it failed.
async fn await_request(request: IdbRequest) -> Option<JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&resolve));
    });
    let _ = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    if request.error().ok().flatten().is_some() {
        return None;
    }
    request.result().ok()
}

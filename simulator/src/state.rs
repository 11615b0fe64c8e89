//! The simulator's mutable state: nonces, viewer sessions, temporary data,
//! the run-time switches (login page, auth redirect, viewer print) and the
//! introspection log.
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use serde::Serialize;
use time::OffsetDateTime;

use crate::catalog::Catalog;
use crate::token::random_token;
use crate::{SameSite, SimConfig, ViewerPrint};

/// How many request records (and nonce records of each kind) the
/// introspection log keeps; older ones are dropped so a long-running
/// simulator does not grow without bound.
const LOG_LIMIT: usize = 10_000;

/// Shared handle to the whole simulator state; cheap to clone.
#[derive(Clone)]
pub(crate) struct Sim {
    inner: Arc<Inner>,
}

struct Inner {
    config: SimConfig,
    catalog: Catalog,
    login_page_200: AtomicBool,
    auth_redirect: AtomicBool,
    /// The viewer asks its parent to print (else it prints itself).
    viewer_print_parent: AtomicBool,
    /// The session cookie's attributes as switched at run time.
    session_cookie: Mutex<SessionCookie>,
    store: Mutex<Store>,
    events: Mutex<Events>,
}

#[derive(Default)]
struct Store {
    /// Unspent nonces and when they stop being valid.
    nonces: HashMap<String, Instant>,
    /// Viewer sessions (cookie values) and when they end.
    sessions: HashMap<String, Instant>,
    temp_data: HashMap<i64, TempData>,
    next_temp_data_id: i64,
}

struct TempData {
    workspace_id: i64,
    content: serde_json::Value,
    expires: OffsetDateTime,
}

/// The attributes of the viewer's session cookie that can change at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SessionCookie {
    pub same_site: SameSite,
    pub partitioned: bool,
}

/// One request as the introspection log shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub has_authorization: bool,
    pub origin: Option<String>,
    pub status: u16,
}

/// The introspection log, as `GET /__sim/events` answers it.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Events {
    pub requests: VecDeque<RequestRecord>,
    pub nonces_issued: VecDeque<String>,
    pub nonces_consumed: VecDeque<String>,
    pub nonces_rejected: VecDeque<String>,
    /// Requests outside `/api/` (viewer pages, stylesheet) that carried an
    /// `Authorization` header: a PAT must never travel there, so tests
    /// assert this stays 0.
    pub viewer_requests_with_authorization: u64,
}

fn push_bounded<T>(log: &mut VecDeque<T>, item: T) {
    if log.len() >= LOG_LIMIT {
        log.pop_front();
    }
    log.push_back(item);
}

/// Whether a temporary-data id could be read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TempDataLookup {
    Found(serde_json::Value),
    /// Unknown in this workspace, or expired (the two look alike on purpose,
    /// as expired data is dropped).
    Missing,
}

impl Sim {
    pub fn new(config: SimConfig) -> Self {
        Sim {
            inner: Arc::new(Inner {
                login_page_200: AtomicBool::new(config.login_page_200),
                auth_redirect: AtomicBool::new(config.auth_redirect),
                viewer_print_parent: AtomicBool::new(config.viewer_print == ViewerPrint::Parent),
                session_cookie: Mutex::new(SessionCookie {
                    same_site: config.same_site,
                    partitioned: config.partitioned,
                }),
                catalog: Catalog::seeded_with(config.extra_reports),
                config,
                store: Mutex::new(Store {
                    // Ids that do not look like report ids catch a client
                    // that mixes the two up.
                    next_temp_data_id: 5001,
                    ..Store::default()
                }),
                events: Mutex::new(Events::default()),
            }),
        }
    }

    pub fn config(&self) -> &SimConfig {
        &self.inner.config
    }

    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    pub fn login_page_200(&self) -> bool {
        self.inner.login_page_200.load(Ordering::Relaxed)
    }

    pub fn set_login_page_200(&self, enabled: bool) {
        self.inner.login_page_200.store(enabled, Ordering::Relaxed);
    }

    pub fn auth_redirect(&self) -> bool {
        self.inner.auth_redirect.load(Ordering::Relaxed)
    }

    pub fn set_auth_redirect(&self, enabled: bool) {
        self.inner.auth_redirect.store(enabled, Ordering::Relaxed);
    }

    pub fn viewer_print(&self) -> ViewerPrint {
        if self.inner.viewer_print_parent.load(Ordering::Relaxed) {
            ViewerPrint::Parent
        } else {
            ViewerPrint::Frame
        }
    }

    pub fn set_viewer_print(&self, mode: ViewerPrint) {
        self.inner
            .viewer_print_parent
            .store(mode == ViewerPrint::Parent, Ordering::Relaxed);
    }

    pub fn session_cookie(&self) -> SessionCookie {
        *self
            .inner
            .session_cookie
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_session_cookie(&self, cookie: SessionCookie) {
        *self
            .inner
            .session_cookie
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = cookie;
    }

    // A panic while holding a lock cannot leave these maps half-updated in
    // a way that matters to a simulator, so a poisoned lock is used as is.
    fn store(&self) -> MutexGuard<'_, Store> {
        self.inner
            .store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn events_mut(&self) -> MutexGuard<'_, Events> {
        self.inner
            .events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Mints a nonce valid for `nonce_ttl`.
    pub fn issue_nonce(&self) -> Result<String, getrandom::Error> {
        let nonce = random_token()?;
        let now = Instant::now();
        {
            let mut store = self.store();
            store.nonces.retain(|_, expires| *expires > now);
            store
                .nonces
                .insert(nonce.clone(), now + self.inner.config.nonce_ttl);
        }
        push_bounded(&mut self.events_mut().nonces_issued, nonce.clone());
        Ok(nonce)
    }

    /// Spends a nonce: true only the first time, and only before it expires.
    pub fn consume_nonce(&self, nonce: &str) -> bool {
        let valid = match self.store().nonces.remove(nonce) {
            Some(expires) => expires > Instant::now(),
            None => false,
        };
        let mut events = self.events_mut();
        let log = if valid {
            &mut events.nonces_consumed
        } else {
            &mut events.nonces_rejected
        };
        push_bounded(log, nonce.to_owned());
        valid
    }

    /// Opens a viewer session; the value goes into the session cookie.
    pub fn open_session(&self) -> Result<String, getrandom::Error> {
        let session = random_token()?;
        let now = Instant::now();
        let mut store = self.store();
        store.sessions.retain(|_, expires| *expires > now);
        store
            .sessions
            .insert(session.clone(), now + self.inner.config.session_ttl);
        Ok(session)
    }

    /// Ends every viewer session now, as if each had reached its lifetime
    /// (a laptop asleep, a lunch break); answers how many were open.
    pub fn expire_sessions(&self) -> usize {
        let now = Instant::now();
        let mut store = self.store();
        let open = store.sessions.values().filter(|e| **e > now).count();
        store.sessions.clear();
        open
    }

    pub fn session_valid(&self, session: &str) -> bool {
        self.store()
            .sessions
            .get(session)
            .is_some_and(|expires| *expires > Instant::now())
    }

    /// Stores temporary data and answers its id.
    pub fn store_temp_data(
        &self,
        workspace_id: i64,
        content: serde_json::Value,
        expires: OffsetDateTime,
    ) -> i64 {
        let now = OffsetDateTime::now_utc();
        let mut store = self.store();
        store.temp_data.retain(|_, data| data.expires > now);
        let id = store.next_temp_data_id;
        store.next_temp_data_id += 1;
        store.temp_data.insert(
            id,
            TempData {
                workspace_id,
                content,
                expires,
            },
        );
        id
    }

    pub fn temp_data(&self, workspace_id: i64, id: i64) -> TempDataLookup {
        let store = self.store();
        match store.temp_data.get(&id) {
            Some(data)
                if data.workspace_id == workspace_id
                    && data.expires > OffsetDateTime::now_utc() =>
            {
                TempDataLookup::Found(data.content.clone())
            }
            _ => TempDataLookup::Missing,
        }
    }

    pub fn record_request(&self, record: RequestRecord) {
        let mut events = self.events_mut();
        if record.has_authorization && !record.path.starts_with("/api/") {
            events.viewer_requests_with_authorization += 1;
        }
        push_bounded(&mut events.requests, record);
    }

    pub fn events(&self) -> Events {
        self.events_mut().clone()
    }

    pub fn clear_events(&self) {
        *self.events_mut() = Events::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_nonce_is_spent_once() {
        let sim = Sim::new(SimConfig::default());
        let nonce = sim.issue_nonce().unwrap();
        assert!(sim.consume_nonce(&nonce));
        assert!(!sim.consume_nonce(&nonce));
        assert!(!sim.consume_nonce("made-up"));
        let events = sim.events();
        assert_eq!(events.nonces_issued, std::slice::from_ref(&nonce));
        assert_eq!(events.nonces_consumed, std::slice::from_ref(&nonce));
        assert_eq!(events.nonces_rejected, [nonce, "made-up".to_owned()]);
    }

    #[test]
    fn an_expired_nonce_is_refused() {
        let sim = Sim::new(SimConfig {
            nonce_ttl: Duration::from_millis(1),
            ..SimConfig::default()
        });
        let nonce = sim.issue_nonce().unwrap();
        std::thread::sleep(Duration::from_millis(5));
        assert!(!sim.consume_nonce(&nonce));
    }

    #[test]
    fn the_request_log_is_bounded() {
        let sim = Sim::new(SimConfig::default());
        for i in 0..LOG_LIMIT + 5 {
            sim.record_request(RequestRecord {
                method: "GET".into(),
                path: format!("/ws/x/{i}"),
                query: None,
                has_authorization: true,
                origin: None,
                status: 200,
            });
        }
        let events = sim.events();
        assert_eq!(events.requests.len(), LOG_LIMIT);
        assert_eq!(events.requests[0].path, "/ws/x/5");
        assert_eq!(
            events.viewer_requests_with_authorization,
            (LOG_LIMIT + 5) as u64
        );
    }

    #[test]
    fn temp_data_is_scoped_to_its_workspace_and_expires() {
        let sim = Sim::new(SimConfig::default());
        let later = OffsetDateTime::now_utc() + time::Duration::hours(1);
        let id = sim.store_temp_data(1, serde_json::json!({"a": 1}), later);
        assert_eq!(
            sim.temp_data(1, id),
            TempDataLookup::Found(serde_json::json!({"a": 1}))
        );
        assert_eq!(sim.temp_data(2, id), TempDataLookup::Missing);
        let past = OffsetDateTime::now_utc() - time::Duration::seconds(1);
        let old = sim.store_temp_data(1, serde_json::json!(1), past);
        assert_eq!(sim.temp_data(1, old), TempDataLookup::Missing);
    }
}

//! Model-based property tests of the navigator: random sequences of inputs
//! with random timings and failures, each step checked against what must
//! always hold. Each invariant is also shown to catch a planted bug.
use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::config::RawValue;

fn config(prefetch: bool, max_age_ms: u32) -> Rc<ViewerConfig> {
    config_full(prefetch, max_age_ms, 1_800_000, true)
}

fn config_with(prefetch: bool, max_age_ms: u32, picker: bool) -> Rc<ViewerConfig> {
    config_full(prefetch, max_age_ms, 1_800_000, picker)
}

fn config_with_session(prefetch: bool, max_age_ms: u32, session_ms: u32) -> Rc<ViewerConfig> {
    config_full(prefetch, max_age_ms, session_ms, true)
}

fn config_full(prefetch: bool, max_age_ms: u32, session_ms: u32, picker: bool) -> Rc<ViewerConfig> {
    let raw = vec![
        (
            "cxreportsUrl".into(),
            RawValue::Str("https://r.example.com".into()),
        ),
        ("workspace".into(), RawValue::Str("sales".into())),
        ("nonceUrl".into(), RawValue::Str("/api/nonce".into())),
        ("reportsUrl".into(), RawValue::Str("/api/reports".into())),
        ("prefetchNonce".into(), RawValue::Bool(prefetch)),
        ("nonceMaxAgeMs".into(), RawValue::Num(f64::from(max_age_ms))),
        ("showPicker".into(), RawValue::Bool(picker)),
        (
            "sessionMaxAgeMs".into(),
            RawValue::Num(f64::from(session_ms)),
        ),
    ];
    Rc::new(ViewerConfig::from_raw(raw).unwrap())
}

/// What the test harness knows, apart from the navigator's own state.
#[derive(Default)]
struct Model {
    prefetch: bool,
    /// The widget shows its picker.
    picker: bool,
    /// A second navigation was asked for (refresh, parameters, another report).
    switched: bool,
    max_age_ms: f64,
    now: f64,
    /// The newest choice the reader made.
    latest_choice: Option<ReportRef>,
    fetch_pending: bool,
    list_pending: bool,
    refill_pending: bool,
    destroyed: bool,
    /// Each nonce handed out, with when it arrived.
    arrived: HashMap<String, f64>,
    used: Vec<String>,
    /// The frame's address and navigation as last seen.
    frame: Option<(String, u64)>,
    last_src_generation: u64,
    current_generation: u64,
    current_has_src: bool,
    issued: u32,
    /// `sessionMaxAgeMs` (0: never).
    session_max_age_ms: f64,
    /// When the frame's current `src` was set: its viewer session began.
    session_began: Option<f64>,
    /// The browser said offline and not online since.
    offline: bool,
    /// The frame's current `src` was set while offline.
    src_offline: bool,
    /// The navigation whose nonce fetch failed, shown as failed.
    nonce_failed: Option<u64>,
    /// The frame element the frame's address was last seen in.
    frame_key: u64,
    /// The navigator's generation after the last step.
    latest_generation: Option<u64>,
}

fn nonce_of(url: &str) -> Option<String> {
    url.split(['?', '&'])
        .find_map(|part| part.strip_prefix("nonce="))
        .map(str::to_owned)
}

fn report_of(url: &str) -> Option<&str> {
    url.split("/reports/").nth(1)?.split('/').next()
}

impl Model {
    /// Checks one step: `input` went in (the model already knows of it),
    /// `decisions` came out, `navigator` is the state after.
    fn check(
        &mut self,
        input: &Input,
        decisions: &[Decision],
        navigator: &Navigator,
    ) -> Result<(), String> {
        if matches!(input, Input::Destroy) {
            self.destroyed = true;
        }
        // What was true before this input, for the waking rules.
        let session_age = self.session_began.map(|began| self.now - began);
        // (Reset at the end of each step once a newer navigation began.)
        let had_src = self.current_has_src;
        let generation_before = self.latest_generation.unwrap_or(0);
        let src_offline = self.src_offline;
        let nonce_failed =
            self.nonce_failed.is_some() && self.nonce_failed == self.latest_generation;
        match input {
            Input::Offline => self.offline = true,
            Input::Wake(Wake::Online) => self.offline = false,
            _ => {}
        }
        // The frame's address is the navigator's state: a new one (or a new
        // navigation for it) is the frame navigating.
        let frame = navigator.frame().map(|(src, g)| (src.to_owned(), g));
        if frame != self.frame {
            // A loaded frame given a new address would add an entry to the
            // page's history: each later address goes into a new frame.
            if self.frame.is_some() && navigator.frame_key() == self.frame_key {
                return Err(format!("frame {} given a second address", self.frame_key));
            }
            self.frame_key = navigator.frame_key();
            if let Some((src, generation)) = &frame {
                self.frame_set(input, src, *generation)?;
            }
            self.frame = frame;
        }
        for decision in decisions {
            if self.destroyed
                && !matches!(
                    decision,
                    Decision::AbortNonce
                        | Decision::AbortList
                        | Decision::CancelRefill
                        | Decision::CloseTab
                )
            {
                return Err(format!("after destroy: {decision:?}"));
            }
            match decision {
                Decision::FetchNonce => {
                    if self.fetch_pending {
                        return Err("a second nonce fetch while one is in flight".into());
                    }
                    let someone_waits = matches!(
                        input,
                        Input::Choose(_) | Input::Reload | Input::SetParams(_) | Input::NewTab
                    ) || (matches!(input, Input::NonceArrived(_))
                        && decisions.iter().any(|d| matches!(d, Decision::PointTab(_))))
                        || (matches!(input, Input::Wake(_))
                            && decisions
                                .iter()
                                .any(|d| matches!(d, Decision::Reopened(..))));
                    if !self.prefetch && !someone_waits {
                        return Err(format!(
                            "a spare nonce fetched with prefetch off, after {input:?}"
                        ));
                    }
                    let first = matches!(input, Input::Start);
                    if !self.picker && !self.switched && !first && !someone_waits {
                        return Err(format!(
                            "a spare nonce fetched without a picker before a second navigation, after {input:?}"
                        ));
                    }
                    self.fetch_pending = true;
                }
                Decision::AbortNonce => self.fetch_pending = false,
                Decision::FetchList => {
                    if self.list_pending {
                        return Err("a second list fetch while one is in flight".into());
                    }
                    self.list_pending = true;
                }
                Decision::AbortList => self.list_pending = false,
                Decision::Failed(WidgetError::Reports(_))
                    if !matches!(input, Input::ListFailed(_)) =>
                {
                    return Err(format!("a list failure shown after {input:?}"));
                }
                Decision::StartRefill => self.refill_pending = true,
                Decision::CancelRefill => self.refill_pending = false,
                Decision::OpenTab(url) | Decision::PointTab(url) => self.use_nonce(url)?,
                Decision::Reopened(report, reason) => {
                    let Input::Wake(wake) = input else {
                        return Err(format!("a reopen after {input:?}"));
                    };
                    if self.offline {
                        return Err("a reopen while offline".into());
                    }
                    if Some(report) != self.latest_choice.as_ref() {
                        return Err(format!("a reopen of {report}, not the newest choice"));
                    }
                    let stale = had_src
                        && self.session_max_age_ms > 0.0
                        && session_age.is_some_and(|age| age >= self.session_max_age_ms);
                    match reason {
                        Reopen::SessionStale if !stale => {
                            return Err(format!(
                                "a session of {session_age:?} ms reopened as stale"
                            ));
                        }
                        Reopen::BackOnline if *wake != Wake::Online => {
                            return Err(format!("reopened as back online on {wake:?}"));
                        }
                        _ => {}
                    }
                }
                Decision::Failed(WidgetError::Nonce(_)) => {
                    self.nonce_failed = Some(navigator.generation());
                    if !matches!(input, Input::NonceFailed(_)) {
                        return Err(format!("a nonce failure shown after {input:?}"));
                    }
                    if self.current_has_src && navigator.generation() == self.current_generation {
                        return Err(
                            "a nonce failure shown over a navigation that has its src".into()
                        );
                    }
                }
                _ => {}
            }
        }
        if let Input::Wake(wake) = input {
            let reopened = decisions
                .iter()
                .any(|d| matches!(d, Decision::Reopened(..)));
            let stale = had_src
                && self.session_max_age_ms > 0.0
                && session_age.is_some_and(|age| age >= self.session_max_age_ms);
            let back_online = *wake == Wake::Online
                && self.latest_choice.is_some()
                && ((had_src && src_offline) || nonce_failed);
            if !self.offline && !self.destroyed && (stale || back_online) && !reopened {
                return Err(format!(
                    "a session of {session_age:?} ms (offline src: {src_offline}) kept on {wake:?}"
                ));
            }
            if reopened && navigator.generation() <= generation_before {
                return Err("a reopen that started no navigation".into());
            }
            if !reopened && !decisions.is_empty() {
                return Err(format!("waking without a reopen decided {decisions:?}"));
            }
        }
        if navigator.generation() != self.current_generation {
            self.current_has_src = false;
        }
        self.latest_generation = Some(navigator.generation());
        Ok(())
    }

    /// Checks the frame being pointed at `src` for navigation `generation`.
    fn frame_set(&mut self, input: &Input, src: &str, generation: u64) -> Result<(), String> {
        if self.destroyed {
            return Err(format!(
                "after destroy: the frame set to {src} on {input:?}"
            ));
        }
        let report = report_of(src).ok_or("a src without a report")?;
        let latest = self.latest_choice.as_ref().map(ToString::to_string);
        if latest.as_deref() != Some(report) {
            return Err(format!(
                "src for {report}, but the newest choice is {latest:?}"
            ));
        }
        if generation <= self.last_src_generation {
            return Err(format!(
                "src of navigation {generation} after one of {}",
                self.last_src_generation
            ));
        }
        self.last_src_generation = generation;
        self.current_generation = generation;
        self.current_has_src = true;
        self.session_began = Some(self.now);
        self.src_offline = self.offline;
        self.use_nonce(src)
    }

    fn use_nonce(&mut self, url: &str) -> Result<(), String> {
        let nonce = nonce_of(url).ok_or("a viewer URL without a nonce")?;
        if self.used.contains(&nonce) {
            return Err(format!("nonce {nonce} used twice"));
        }
        let arrived = *self
            .arrived
            .get(&nonce)
            .ok_or(format!("nonce {nonce} never arrived"))?;
        if self.now - arrived > self.max_age_ms {
            return Err(format!(
                "nonce {nonce} used {} ms after it arrived",
                self.now - arrived
            ));
        }
        self.used.push(nonce);
        Ok(())
    }
}

/// One thing that can happen to a widget.
#[derive(Debug, Clone)]
enum Step {
    Choose(i64),
    Reload,
    SetParams(u8),
    NewTab {
        blocked: bool,
    },
    Answer {
        ok: bool,
    },
    FrameLoaded {
        stale: bool,
    },
    Wait(u16),
    FireRefill,
    ListAnswer {
        ok: bool,
    },
    RetryList,
    Destroy,
    /// The page comes back: 0 visible, 1 restored, 2 online.
    Wake(u8),
    Offline,
    /// A long absence (a hidden tab, a sleeping laptop).
    Sleep(u32),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (1i64..6).prop_map(Step::Choose),
        1 => Just(Step::Reload),
        1 => (0u8..3).prop_map(Step::SetParams),
        1 => any::<bool>().prop_map(|blocked| Step::NewTab { blocked }),
        4 => prop::bool::weighted(0.85).prop_map(|ok| Step::Answer { ok }),
        2 => any::<bool>().prop_map(|stale| Step::FrameLoaded { stale }),
        3 => (0u16..400).prop_map(Step::Wait),
        2 => Just(Step::FireRefill),
        2 => prop::bool::weighted(0.7).prop_map(|ok| Step::ListAnswer { ok }),
        1 => Just(Step::RetryList),
        1 => Just(Step::Destroy),
        2 => (0u8..3).prop_map(Step::Wake),
        1 => Just(Step::Offline),
        1 => (0u32..5_000).prop_map(Step::Sleep),
    ]
}

/// Runs `steps`, checking every one; the first violation is the error.
fn run(
    prefetch: bool,
    picker: bool,
    max_age_ms: u32,
    session_ms: u32,
    steps: &[Step],
) -> Result<(), String> {
    let mut navigator = Navigator::new(config_full(prefetch, max_age_ms, session_ms, picker), 0);
    let mut model = Model {
        prefetch,
        picker,
        max_age_ms: f64::from(max_age_ms),
        session_max_age_ms: f64::from(session_ms),
        ..Model::default()
    };
    let decisions = navigator.on(Input::Start, 0.0);
    model.check(&Input::Start, &decisions, &navigator)?;
    if !decisions.contains(&Decision::FetchList) {
        return Err("the list is not fetched at start".into());
    }
    for step in steps {
        let feed = |input: Input, model: &mut Model, navigator: &mut Navigator| {
            let decisions = navigator.on(input.clone(), model.now);
            model
                .check(&input, &decisions, navigator)
                .map(|()| decisions)
        };
        match step {
            Step::Choose(id) => {
                if !model.destroyed {
                    model.switched |= model.latest_choice.is_some();
                    model.latest_choice = Some(ReportRef::Id(*id));
                }
                feed(
                    Input::Choose(ReportRef::Id(*id)),
                    &mut model,
                    &mut navigator,
                )?;
            }
            Step::Reload => {
                model.switched = true;
                feed(Input::Reload, &mut model, &mut navigator)?;
            }
            Step::SetParams(n) => {
                model.switched = true;
                let params = (*n > 0).then(|| format!("{{\"year\":{n}}}"));
                feed(Input::SetParams(params), &mut model, &mut navigator)?;
            }
            Step::NewTab { blocked } => {
                let decisions = feed(Input::NewTab, &mut model, &mut navigator)?;
                if *blocked && decisions.contains(&Decision::OpenBlankTab) {
                    feed(Input::TabBlocked, &mut model, &mut navigator)?;
                }
            }
            Step::Answer { ok } => {
                if !model.fetch_pending {
                    continue;
                }
                model.fetch_pending = false;
                let input = if *ok {
                    model.issued += 1;
                    let nonce = format!("n{}", model.issued);
                    model.arrived.insert(nonce.clone(), model.now);
                    Input::NonceArrived(nonce)
                } else {
                    Input::NonceFailed(HostError::Network {
                        url: "/api/nonce".into(),
                    })
                };
                feed(input, &mut model, &mut navigator)?;
            }
            Step::FrameLoaded { stale } => {
                let generation =
                    navigator.generation() - u64::from(*stale && navigator.generation() > 0);
                feed(Input::FrameLoaded(generation), &mut model, &mut navigator)?;
            }
            Step::Wait(ms) => model.now += f64::from(*ms),
            Step::FireRefill => {
                if model.refill_pending {
                    model.refill_pending = false;
                    feed(Input::Refill, &mut model, &mut navigator)?;
                }
            }
            Step::ListAnswer { ok } => {
                if !model.list_pending {
                    continue;
                }
                model.list_pending = false;
                let input = if *ok {
                    Input::ListArrived(Vec::new())
                } else {
                    Input::ListFailed(HostError::Network {
                        url: "/api/reports".into(),
                    })
                };
                feed(input, &mut model, &mut navigator)?;
            }
            Step::RetryList => {
                feed(Input::RetryList, &mut model, &mut navigator)?;
            }
            Step::Destroy => {
                feed(Input::Destroy, &mut model, &mut navigator)?;
            }
            Step::Wake(n) => {
                let wake = [Wake::Visible, Wake::Restored, Wake::Online][usize::from(*n)];
                feed(Input::Wake(wake), &mut model, &mut navigator)?;
            }
            Step::Offline => {
                feed(Input::Offline, &mut model, &mut navigator)?;
            }
            Step::Sleep(ms) => model.now += f64::from(*ms),
        }
        if navigator.stage == Stage::Shown && navigator.src.is_none() {
            return Err("shown without a src".into());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn every_sequence_keeps_the_invariants(
        prefetch in any::<bool>(),
        picker in any::<bool>(),
        max_age_ms in 50u32..600,
        session_ms in prop_oneof![Just(0u32), 1u32..4_000],
        steps in prop::collection::vec(step(), 1..60),
    ) {
        if let Err(violation) = run(prefetch, picker, max_age_ms, session_ms, &steps) {
            prop_assert!(false, "{violation} in {steps:?}");
        }
    }
}

#[test]
fn a_switch_with_a_spare_sets_src_at_once() {
    let mut n = Navigator::new(config(true, 30_000), 0);
    assert_eq!(
        n.on(Input::Choose(ReportRef::Id(1)), 0.0)[1..],
        [Decision::FetchNonce]
    );
    let d = n.on(Input::NonceArrived("a".into()), 1.0);
    assert!(matches!(n.frame(), Some((src, 1)) if src.contains("nonce=a")));
    assert_eq!(d[0], Decision::StartRefill);
    assert_eq!(n.on(Input::Refill, 2.0), [Decision::FetchNonce]);
    assert!(
        n.on(Input::NonceArrived("b".into()), 3.0).is_empty(),
        "kept as the spare"
    );
    let d = n.on(Input::Choose(ReportRef::Id(2)), 4.0);
    assert_eq!(d[0], Decision::Selected(ReportRef::Id(2)));
    assert!(
        matches!(n.frame(), Some((src, 2)) if src.contains("/reports/2/") && src.contains("nonce=b"))
    );
}

#[test]
fn without_a_picker_the_spare_waits_for_a_second_navigation() {
    let mut n = Navigator::new(config_with(true, 30_000, false), 0);
    assert_eq!(
        n.on(Input::Start, 0.0),
        [Decision::FetchList, Decision::FetchNonce]
    );
    assert_eq!(
        n.on(Input::Choose(ReportRef::Id(1)), 0.0),
        [Decision::Selected(ReportRef::Id(1))]
    );
    assert_eq!(
        n.on(Input::NonceArrived("a".into()), 1.0),
        [Decision::StartRefill]
    );
    assert!(
        n.on(Input::Refill, 2.0).is_empty(),
        "no spare for one report"
    );
    // Asked to refresh: it waits for a nonce, then keeps a spare.
    assert_eq!(n.on(Input::Reload, 3.0), [Decision::FetchNonce]);
    assert_eq!(
        n.on(Input::NonceArrived("b".into()), 4.0),
        [Decision::StartRefill]
    );
    assert_eq!(n.on(Input::Refill, 5.0), [Decision::FetchNonce]);
}

#[test]
fn a_stale_spare_is_dropped_and_destroy_only_cancels() {
    let mut n = Navigator::new(config(true, 100), 0);
    n.on(Input::Choose(ReportRef::Id(1)), 0.0);
    n.on(Input::NonceArrived("a".into()), 0.0);
    n.on(Input::Refill, 0.0);
    n.on(Input::NonceArrived("b".into()), 0.0);
    // 101 ms later the spare is too old: a new fetch, the old one unused.
    let d = n.on(Input::Reload, 101.0);
    assert_eq!(d, [Decision::FetchNonce]);
    assert_eq!(n.on(Input::Destroy, 102.0), [Decision::AbortNonce]);
    assert!(n.on(Input::Choose(ReportRef::Id(3)), 103.0).is_empty());
}

#[test]
fn a_stale_session_is_renewed_when_the_page_comes_back() {
    let mut n = Navigator::new(config_with_session(true, 60_000, 1_000), 0);
    n.on(Input::Choose(ReportRef::Id(1)), 0.0);
    n.on(Input::NonceArrived("a".into()), 10.0);
    n.on(Input::Refill, 11.0);
    n.on(Input::NonceArrived("b".into()), 12.0);
    n.on(Input::FrameLoaded(1), 13.0);
    assert_eq!(n.session_began(), Some(10.0));
    // Young: coming back changes nothing, and no request leaves.
    assert!(n.on(Input::Wake(Wake::Visible), 1_009.0).is_empty());
    // Old: the same report, the same parameters, a fresh nonce.
    let d = n.on(Input::Wake(Wake::Restored), 1_010.0);
    assert_eq!(
        d[0],
        Decision::Reopened(ReportRef::Id(1), Reopen::SessionStale)
    );
    assert!(
        matches!(n.frame(), Some((src, 2)) if src.contains("/reports/1/") && src.contains("nonce=b"))
    );
    assert_eq!(n.session_began(), Some(1_010.0));
    // Offline, nothing is reopened however old; back online, the session
    // is still young and the navigation was made online: nothing either.
    assert!(n.on(Input::Offline, 1_020.0).is_empty());
    assert!(n.on(Input::Wake(Wake::Visible), 9_000.0).is_empty());
    let d = n.on(Input::Wake(Wake::Online), 9_001.0);
    assert_eq!(
        d[0],
        Decision::Reopened(ReportRef::Id(1), Reopen::SessionStale)
    );
}

#[test]
fn a_failed_or_offline_navigation_is_retried_once_online() {
    let mut n = Navigator::new(config_with_session(false, 60_000, 0), 0);
    n.on(Input::Offline, 0.0);
    n.on(Input::Choose(ReportRef::Id(1)), 1.0);
    let network = HostError::Network {
        url: "/api/nonce".into(),
    };
    n.on(Input::NonceFailed(network), 2.0);
    assert!(matches!(n.stage(), Stage::Failed(_)));
    assert_eq!(
        n.on(Input::Wake(Wake::Online), 3.0),
        [
            Decision::Reopened(ReportRef::Id(1), Reopen::BackOnline),
            Decision::FetchNonce
        ]
    );
    // A frame pointed while offline may show the browser's own error page.
    n.on(Input::Offline, 4.0);
    n.on(Input::NonceArrived("a".into()), 5.0);
    n.on(Input::FrameLoaded(2), 6.0);
    assert_eq!(n.stage(), &Stage::Shown);
    let d = n.on(Input::Wake(Wake::Online), 7.0);
    assert_eq!(
        d[0],
        Decision::Reopened(ReportRef::Id(1), Reopen::BackOnline)
    );
    // With sessionMaxAgeMs 0, an old session is never reopened.
    n.on(Input::NonceArrived("b".into()), 8.0);
    assert!(n.on(Input::Wake(Wake::Visible), 1e9).is_empty());
}

/// Each invariant catches the bug it is there for: the checker is fed what
/// a broken navigator would decide.
#[test]
fn each_invariant_catches_a_planted_bug() {
    let fresh = |prefetch: bool| {
        let model = Model {
            prefetch,
            max_age_ms: 100.0,
            latest_choice: Some(ReportRef::Id(2)),
            session_max_age_ms: 1_000.0,
            ..Model::default()
        };
        (model, Navigator::new(config(prefetch, 100), 0))
    };
    let src = |report: i64, nonce: &str| {
        format!("https://r.example.com/ws/sales/reports/{report}/preview?nonce={nonce}")
    };
    type Case<'a> = Box<dyn Fn(&mut Model, &mut Navigator) -> Result<(), String> + 'a>;
    let cases: Vec<(&str, Case)> = vec![
        (
            "an older choice shown",
            Box::new(|m, n| {
                m.arrived.insert("a".into(), 0.0);
                n.src = Some((src(1, "a"), 1));
                m.check(&Input::NonceArrived("a".into()), &[], n)
            }),
        ),
        (
            "a navigation going backwards",
            Box::new(|m, n| {
                m.arrived.insert("a".into(), 0.0);
                m.arrived.insert("b".into(), 0.0);
                n.src = Some((src(2, "a"), 2));
                m.check(&Input::NonceArrived("a".into()), &[], n)?;
                n.src = Some((src(2, "b"), 1));
                m.check(&Input::NonceArrived("b".into()), &[], n)
            }),
        ),
        (
            "a nonce used twice",
            Box::new(|m, n| {
                m.arrived.insert("a".into(), 0.0);
                n.src = Some((src(2, "a"), 1));
                m.check(&Input::Reload, &[], n)?;
                m.check(&Input::NewTab, &[Decision::OpenTab(src(2, "a"))], n)
            }),
        ),
        (
            "a nonce past its age",
            Box::new(|m, n| {
                m.arrived.insert("a".into(), 0.0);
                m.now = 101.0;
                n.src = Some((src(2, "a"), 1));
                m.check(&Input::Reload, &[], n)
            }),
        ),
        (
            "the frame pointed after destroy",
            Box::new(|m, n| {
                m.arrived.insert("a".into(), 0.0);
                m.check(&Input::Destroy, &[], n)?;
                n.src = Some((src(2, "a"), 1));
                m.check(&Input::Reload, &[], n)
            }),
        ),
        (
            "a nonce used again for a new navigation",
            Box::new(|m, n| {
                m.arrived.insert("a".into(), 0.0);
                n.src = Some((src(2, "a"), 1));
                m.check(&Input::Reload, &[], n)?;
                n.src = Some((src(2, "a"), 2));
                m.check(&Input::Reload, &[], n)
            }),
        ),
        (
            "work after destroy",
            Box::new(|m, n| m.check(&Input::Destroy, &[Decision::FetchNonce], n)),
        ),
        (
            "a spare with prefetch off",
            Box::new(|m, n| m.check(&Input::Refill, &[Decision::FetchNonce], n)),
        ),
        (
            "a spare without a picker before a second navigation",
            Box::new(|m, n| {
                m.prefetch = true;
                m.latest_choice = None;
                m.check(&Input::Choose(ReportRef::Id(2)), &[], n)?;
                m.check(&Input::Refill, &[Decision::FetchNonce], n)
            }),
        ),
        (
            "a second fetch in flight",
            Box::new(|m, n| {
                m.check(&Input::Reload, &[Decision::FetchNonce], n)?;
                m.check(&Input::Reload, &[Decision::FetchNonce], n)
            }),
        ),
        (
            "a second list fetch in flight",
            Box::new(|m, n| {
                m.check(&Input::Start, &[Decision::FetchList], n)?;
                m.check(&Input::RetryList, &[Decision::FetchList], n)
            }),
        ),
        (
            "a list failure shown for nothing",
            Box::new(|m, n| {
                let e = WidgetError::Reports(HostError::EmptyNonce);
                m.check(&Input::Reload, &[Decision::Failed(e)], n)
            }),
        ),
        (
            "a failure shown for another navigation",
            Box::new(|m, n| {
                let e = WidgetError::Nonce(HostError::EmptyNonce);
                m.check(&Input::Reload, &[Decision::Failed(e)], n)
            }),
        ),
        (
            "a frame given a second address",
            Box::new(|m, n| {
                m.arrived.insert("a".into(), 0.0);
                m.arrived.insert("b".into(), 0.0);
                n.src = Some((src(2, "a"), 1));
                m.check(&Input::NonceArrived("a".into()), &[], n)?;
                n.src = Some((src(2, "b"), 2));
                m.check(&Input::NonceArrived("b".into()), &[], n)
            }),
        ),
        (
            "a reopen without waking",
            Box::new(|m, n| {
                let reopen = Decision::Reopened(ReportRef::Id(2), Reopen::SessionStale);
                m.check(&Input::Reload, &[reopen], n)
            }),
        ),
        (
            "a stale session kept",
            Box::new(|m, n| {
                m.arrived.insert("a".into(), 0.0);
                n.generation = 1;
                n.src = Some((src(2, "a"), 1));
                m.check(&Input::Reload, &[], n)?;
                m.now = 2_000.0;
                m.check(&Input::Wake(Wake::Visible), &[], n)
            }),
        ),
        (
            "a young session reopened",
            Box::new(|m, n| {
                m.arrived.insert("a".into(), 0.0);
                n.generation = 1;
                n.src = Some((src(2, "a"), 1));
                m.check(&Input::Reload, &[], n)?;
                m.now = 10.0;
                n.generation = 2;
                let reopen = Decision::Reopened(ReportRef::Id(2), Reopen::SessionStale);
                m.check(&Input::Wake(Wake::Visible), &[reopen], n)
            }),
        ),
        (
            "a reopen while offline",
            Box::new(|m, n| {
                m.check(&Input::Offline, &[], n)?;
                n.generation = 1;
                let reopen = Decision::Reopened(ReportRef::Id(2), Reopen::BackOnline);
                m.check(&Input::Wake(Wake::Restored), &[reopen], n)
            }),
        ),
        (
            "a navigation made offline kept once online",
            Box::new(|m, n| {
                m.arrived.insert("a".into(), 0.0);
                m.check(&Input::Offline, &[], n)?;
                n.generation = 1;
                n.src = Some((src(2, "a"), 1));
                m.check(&Input::Reload, &[], n)?;
                m.check(&Input::Wake(Wake::Online), &[], n)
            }),
        ),
    ];
    for (bug, case) in cases {
        let (mut model, mut navigator) = fresh(false);
        assert!(
            case(&mut model, &mut navigator).is_err(),
            "the invariants miss: {bug}"
        );
    }
}

/// A config for report 7 with `params`, picker on or off.
fn config_for_report(picker: bool) -> Rc<ViewerConfig> {
    let raw = vec![
        (
            "cxreportsUrl".into(),
            RawValue::Str("https://r.example.com".into()),
        ),
        ("workspace".into(), RawValue::Str("sales".into())),
        ("nonceUrl".into(), RawValue::Str("/api/nonce".into())),
        ("report".into(), RawValue::Str("7".into())),
        ("showPicker".into(), RawValue::Bool(picker)),
        ("sessionMaxAgeMs".into(), RawValue::Num(1_000.0)),
        ("timezone".into(), RawValue::Str("UTC".into())),
    ];
    Rc::new(ViewerConfig::from_raw(raw).unwrap())
}

#[test]
fn the_loaders_frame_is_adopted_as_the_first_navigation() {
    let config = config_for_report(true);
    let src = viewer_src(&config, &ReportRef::Id(7), None, "early").unwrap();
    let mut n = Navigator::new(config, 0);
    let d = n.adopt_frame(&src, "early", 100.0).expect("the same URL");
    assert_eq!(
        d,
        vec![Decision::Selected(ReportRef::Id(7)), Decision::StartRefill]
    );
    assert!(n.adopted());
    assert_eq!(n.frame(), Some((src.as_str(), 1)));
    assert_eq!(n.frame_key(), 0);
    assert_eq!(*n.stage(), Stage::Loading);
    // Its session began when the loader set its address.
    assert_eq!(n.session_began(), Some(100.0));
    // The first nonce is spent: starting fetches none; the refill keeps a
    // spare for the picker's next switch.
    assert_eq!(n.on(Input::Start, 150.0), vec![]);
    assert_eq!(n.on(Input::Refill, 151.0), vec![Decision::FetchNonce]);
    // Its load is the navigation's.
    assert_eq!(
        n.on(Input::FrameLoaded(1), 160.0),
        vec![Decision::Loaded(ReportRef::Id(7))]
    );
    // Stale by the loader's time: reopened in a fresh frame of the view's.
    n.on(Input::NonceArrived("spare".into()), 170.0);
    let d = n.on(Input::Wake(Wake::Visible), 1_100.0);
    assert_eq!(
        d[0],
        Decision::Reopened(ReportRef::Id(7), Reopen::SessionStale)
    );
    assert!(!n.adopted());
    assert_eq!(n.frame_key(), 1);
    assert!(matches!(n.frame(), Some((src, 2)) if src.contains("nonce=spare")));
}

#[test]
fn a_frame_the_widget_would_not_have_opened_is_not_adopted() {
    let config = config_for_report(false);
    let wanted = viewer_src(&config, &ReportRef::Id(7), None, "early").unwrap();
    for other in [
        wanted.replace("nonce=early", "nonce=other"),
        wanted.replace("/reports/7/", "/reports/8/"),
        wanted.replace("timezone=UTC", "timezone=Europe%2FBelgrade"),
        format!("{wanted}&x=1"),
    ] {
        let mut n = Navigator::new(config.clone(), 0);
        assert_eq!(n.adopt_frame(&other, "early", 1.0), None, "{other}");
        assert!(!n.adopted() && n.frame().is_none() && n.selected().is_none());
        // The widget then starts as without it: a nonce for the report.
        assert_eq!(n.on(Input::Start, 2.0), vec![Decision::FetchNonce]);
    }
    // Only as the first navigation, and only of a preselected report.
    let mut n = Navigator::new(config.clone(), 0);
    n.on(Input::Choose(ReportRef::Id(7)), 0.0);
    assert_eq!(n.adopt_frame(&wanted, "early", 1.0), None);
    let mut n = Navigator::new(config_with(true, 60_000, true), 0);
    assert_eq!(n.adopt_frame(&wanted, "early", 1.0), None);
}

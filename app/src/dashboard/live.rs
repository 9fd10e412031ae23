//! The browser's side of the live connection: an `EventSource` on [`super::LIVE_ENDPOINT`]
//! that reports its state (trực tiếp, đang kết nối lại, ngoại tuyến) and asks the page to
//! fetch its figures again when a change arrives, or after a reconnection, so that nothing
//! missed while away stays missed.

use crate::i18n::use_i18n;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveState {
    Connecting,
    Live,
    Reconnecting,
    Offline,
}

/// Opens the live connection (in the browser only) and bumps `changes` whenever the page's
/// figures may have changed. Closes it when the page goes.
pub fn use_live(changes: RwSignal<u64>) -> ReadSignal<LiveState> {
    let (state, set_state) = signal(LiveState::Connecting);
    #[cfg(feature = "hydrate")]
    connect(changes, set_state);
    #[cfg(not(feature = "hydrate"))]
    let _ = (changes, set_state);
    state
}

#[cfg(feature = "hydrate")]
fn connect(changes: RwSignal<u64>, set_state: WriteSignal<LiveState>) {
    use leptos::__reexports::send_wrapper::SendWrapper;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    type Handler = Closure<dyn FnMut(web_sys::Event)>;
    struct Live {
        source: RefCell<Option<web_sys::EventSource>>,
        handlers: RefCell<Vec<Handler>>,
        pending: Cell<bool>,
        opened_before: Cell<bool>,
        stopped: Cell<bool>,
    }

    impl Live {
        /// Fetches again soon; changes arriving together make one fetch.
        fn bump(self: &Rc<Self>, changes: RwSignal<u64>) {
            if self.pending.replace(true) {
                return;
            }
            let live = self.clone();
            set_timeout(
                move || {
                    live.pending.set(false);
                    changes.update(|n| *n += 1);
                },
                std::time::Duration::from_millis(100),
            );
        }

        fn open(self: &Rc<Self>) {
            if self.stopped.get() {
                return;
            }
            let Ok(source) = web_sys::EventSource::new(super::LIVE_ENDPOINT) else {
                return;
            };
            if let [on_open, on_message, on_error] = &self.handlers.borrow()[..] {
                source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
                source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            }
            if let Some(old) = self.source.replace(Some(source)) {
                old.close();
            }
        }

        fn stop(&self) {
            self.stopped.set(true);
            if let Some(source) = self.source.take() {
                source.close();
            }
            self.handlers.borrow_mut().clear();
        }
    }

    let live = Rc::new(Live {
        source: RefCell::new(None),
        handlers: RefCell::new(Vec::new()),
        pending: Cell::new(false),
        opened_before: Cell::new(false),
        stopped: Cell::new(false),
    });
    let weak = Rc::downgrade(&live);
    let on_open: Handler = {
        let weak = weak.clone();
        Closure::new(move |_| {
            set_state.set(LiveState::Live);
            // After a reconnection: catch up on whatever happened in between.
            if let Some(live) = weak.upgrade() {
                if live.opened_before.replace(true) {
                    live.bump(changes);
                }
            }
        })
    };
    let on_message: Handler = {
        let weak = weak.clone();
        Closure::new(move |_| {
            if let Some(live) = weak.upgrade() {
                live.bump(changes);
            }
        })
    };
    let on_error: Handler = Closure::new(move |_| {
        let online = window().navigator().on_line();
        set_state.set(if online {
            LiveState::Reconnecting
        } else {
            LiveState::Offline
        });
        // The browser retries by itself after a dropped connection; after a refusal (the
        // server answered an error) the source is closed, and a new one is opened shortly.
        let Some(live) = weak.upgrade() else { return };
        let closed = live
            .source
            .borrow()
            .as_ref()
            .is_some_and(|s| s.ready_state() == web_sys::EventSource::CLOSED);
        if closed {
            let weak = Rc::downgrade(&live);
            set_timeout(
                move || {
                    if let Some(live) = weak.upgrade() {
                        live.open();
                    }
                },
                std::time::Duration::from_secs(5),
            );
        }
    });
    *live.handlers.borrow_mut() = vec![on_open, on_message, on_error];
    live.open();
    let offline = window_event_listener(leptos::ev::offline, move |_| {
        set_state.set(LiveState::Offline);
    });
    let online = window_event_listener(leptos::ev::online, move |_| {
        set_state.set(LiveState::Reconnecting);
    });
    let held = SendWrapper::new(live);
    on_cleanup(move || {
        held.stop();
        offline.remove();
        online.remove();
    });
}

/// The "trực tiếp" badge: live, reconnecting or offline, announced politely.
#[component]
pub fn LiveBadge(state: ReadSignal<LiveState>) -> impl IntoView {
    let i = use_i18n();
    let class = move || match state.get() {
        LiveState::Live => "live-badge live-on",
        LiveState::Connecting | LiveState::Reconnecting => "live-badge live-wait",
        LiveState::Offline => "live-badge live-off",
    };
    let label = move || match state.get() {
        LiveState::Live => i.pick("Trực tiếp", "Live"),
        LiveState::Connecting => i.pick("Đang kết nối…", "Connecting…"),
        LiveState::Reconnecting => i.pick("Đang kết nối lại…", "Reconnecting…"),
        LiveState::Offline => i.pick("Ngoại tuyến", "Offline"),
    };
    view! {
        <span class=class role="status" aria-live="polite" data-live=move || format!("{:?}", state.get()).to_lowercase()>
            <span class="live-dot" aria-hidden="true"></span>
            {label}
        </span>
    }
}

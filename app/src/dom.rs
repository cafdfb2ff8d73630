//! A small DOM builder: elements made with web-sys, and Leptos signals for the parts that change.
//!
//! Why not `view!`: every `view!` is its own generic type, compiled into its own render code,
//! and 15 pages of them weighed 440 KB gzipped against a 180 KB first-load budget. Here every
//! element goes through the same few non-generic functions; only the closures are new code.
//!
//! Ownership: listeners and effects belong to the `Scope` that was current when they were made.
//! The router makes one scope per page; `H::region` makes one per rebuild of its content. When a
//! scope is dropped its listeners go, its effects stop and its signals are disposed.

use reactive::*;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::{closure::Closure, JsCast, UnwrapThrowExt};
use web_sys::{Element, Event, HtmlInputElement};

#[derive(Default)]
struct Bag {
    listeners: Vec<Closure<dyn FnMut(Event)>>,
    effects: Vec<RenderEffect<()>>,
    owner: Option<Owner>,
}

impl Drop for Bag {
    fn drop(&mut self) {
        if let Some(owner) = self.owner.take() {
            owner.cleanup();
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Vec<Rc<RefCell<Bag>>>> = const { RefCell::new(Vec::new()) };
}

/// What a part of the page keeps alive (see the module comment).
#[derive(Clone, Default)]
pub struct Scope(Rc<RefCell<Bag>>);

/// A scope that may be gone by the time an answer arrives.
#[derive(Clone)]
pub struct WeakScope(Weak<RefCell<Bag>>);

impl Scope {
    /// A new scope, its reactive owner a child of the current one.
    pub fn new() -> Scope {
        let bag = Bag {
            listeners: Vec::new(),
            effects: Vec::new(),
            owner: Some(Owner::current().map_or_else(Owner::new, |o| o.child())),
        };
        Scope(Rc::new(RefCell::new(bag)))
    }

    /// Runs `f` with this scope current.
    pub fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        let owner = self.0.borrow().owner.clone();
        CURRENT.with(|c| c.borrow_mut().push(self.0.clone()));
        let out = match owner {
            Some(owner) => owner.with(f),
            None => f(),
        };
        CURRENT.with(|c| c.borrow_mut().pop());
        out
    }

    /// The scope code is running in now (a detached one if none).
    pub fn current() -> Scope {
        CURRENT
            .with(|c| c.borrow().last().cloned())
            .map(Scope)
            .unwrap_or_default()
    }

    pub fn downgrade(&self) -> WeakScope {
        WeakScope(Rc::downgrade(&self.0))
    }
}

impl WeakScope {
    /// Runs `f` in the scope if it still exists (the page is still showing).
    pub fn run(&self, f: impl FnOnce()) {
        if let Some(bag) = self.0.upgrade() {
            Scope(bag).run(f);
        }
    }
}

fn keep_listener(c: Closure<dyn FnMut(Event)>) {
    CURRENT.with(|cur| match cur.borrow().last() {
        Some(bag) => bag.borrow_mut().listeners.push(c),
        None => c.forget(), // app-wide listeners, made once
    });
}

/// Runs `f` now, and again whenever a signal it read with `.get()` changes.
pub fn effect(f: impl Fn() + 'static) {
    effect_boxed(Box::new(f));
}

fn effect_boxed(f: Box<dyn Fn()>) {
    let e = RenderEffect::new(move |_| f());
    CURRENT.with(|cur| {
        if let Some(bag) = cur.borrow().last() {
            bag.borrow_mut().effects.push(e);
        } else {
            std::mem::forget(e);
        }
    });
}

/// Leptos's reactive system (the `reactive_graph` crate Leptos 0.8 is built on), as the pages
/// use it: `use crate::dom::reactive::*`.
pub mod reactive {
    pub use reactive_graph::computed::Memo;
    pub use reactive_graph::effect::RenderEffect;
    pub use reactive_graph::owner::{on_cleanup, Owner};
    pub use reactive_graph::owner::{LocalStorage, StoredValue};
    pub use reactive_graph::prelude::*;
    pub use reactive_graph::signal::RwSignal;
}

pub fn window() -> web_sys::Window {
    web_sys::window().unwrap_throw()
}

pub fn document() -> web_sys::Document {
    window().document().unwrap_throw()
}

/// An element being built: `h("p").class("hint").text("…")`.
#[derive(Clone)]
pub struct H(pub Element);

impl std::ops::Deref for H {
    type Target = Element;
    fn deref(&self) -> &Element {
        &self.0
    }
}

/// A new `<tag>`.
pub fn h(tag: &str) -> H {
    H(document().create_element(tag).unwrap_throw())
}

/// A new `<tag class=…>`.
pub fn hc(tag: &str, class: &str) -> H {
    h(tag).class(class)
}

/// `<tag>` holding `text`.
pub fn ht(tag: &str, text: &str) -> H {
    h(tag).text(text)
}

/// `<span translate="no">` holding people's data (a name, a title): never translated, and
/// long unbroken values wrap.
pub fn data(text: &str) -> H {
    h("span").attr("translate", "no").text(text)
}

impl H {
    pub fn class(self, class: &str) -> H {
        self.0.set_class_name(class);
        self
    }
    pub fn id(self, id: &str) -> H {
        self.0.set_id(id);
        self
    }
    pub fn attr(self, name: &str, value: &str) -> H {
        let _ = self.0.set_attribute(name, value);
        self
    }
    /// An attribute only when `value` is `Some`.
    pub fn attr_opt(self, name: &str, value: Option<&str>) -> H {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }
    /// A boolean attribute (`required`, `disabled`, `hidden`…) when `on`.
    pub fn flag(self, name: &str, on: bool) -> H {
        if on {
            let _ = self.0.set_attribute(name, "");
        }
        self
    }
    /// Marks the element as people's data (`translate="no"`).
    pub fn data(self) -> H {
        self.attr("translate", "no")
    }
    /// Appends a text node.
    pub fn text(self, text: &str) -> H {
        let _ = self.0.append_with_str_1(text);
        self
    }
    /// Appends a child.
    pub fn child(self, child: H) -> H {
        let _ = self.0.append_child(&child.0);
        self
    }
    /// Appends a child when there is one.
    pub fn child_opt(self, child: Option<H>) -> H {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }
    /// Appends several children.
    pub fn children(self, children: impl IntoIterator<Item = H>) -> H {
        for c in children {
            let _ = self.0.append_child(&c.0);
        }
        self
    }
    /// Appends `child` to this element, keeping this one for more (`parent.add(&x)`).
    pub fn add(&self, child: &H) {
        let _ = self.0.append_child(&child.0);
    }
    /// Removes every child.
    pub fn clear(&self) {
        self.0.set_text_content(None);
    }
    /// Listens to `event` for as long as the current scope lives.
    pub fn on(self, event: &str, f: impl FnMut(Event) + 'static) -> H {
        self.on_boxed(event, Box::new(f))
    }
    fn on_boxed(self, event: &str, mut f: Box<dyn FnMut(Event)>) -> H {
        // The handler runs in the scope it was made in, so what it starts (a request, new
        // elements with listeners) belongs to this part of the page.
        let scope = CURRENT.with(|c| c.borrow().last().map(Rc::downgrade));
        let handler: Box<dyn FnMut(Event)> = match scope {
            Some(weak) => Box::new(move |ev| {
                if let Some(bag) = weak.upgrade() {
                    Scope(bag).run(|| f(ev));
                }
            }),
            None => f,
        };
        let c = Closure::<dyn FnMut(Event)>::wrap(handler);
        let _ = self
            .0
            .add_event_listener_with_callback(event, c.as_ref().unchecked_ref());
        keep_listener(c);
        self
    }
    /// A click (or Enter/Space on a button).
    pub fn on_click(self, mut f: impl FnMut() + 'static) -> H {
        self.on_boxed("click", Box::new(move |_| f()))
    }
    /// A form's submit, the page not reloaded.
    pub fn on_submit(self, mut f: impl FnMut() + 'static) -> H {
        self.on_boxed(
            "submit",
            Box::new(move |ev: Event| {
                ev.prevent_default();
                f()
            }),
        )
    }
    /// A text node that follows `f`.
    pub fn dyn_text(self, f: impl Fn() -> String + 'static) -> H {
        let node = document().create_text_node("");
        let _ = self.0.append_child(&node);
        effect_boxed(Box::new(move || node.set_data(&f())));
        self
    }
    /// An attribute that follows `f` (absent while `f` answers `None`).
    pub fn dyn_attr(self, name: &'static str, f: impl Fn() -> Option<String> + 'static) -> H {
        let el = self.0.clone();
        effect_boxed(Box::new(move || {
            let _ = match f() {
                Some(v) => el.set_attribute(name, &v),
                None => el.remove_attribute(name),
            };
        }));
        self
    }
    /// A boolean attribute (`disabled`, `hidden`, `aria-…` excluded) that follows `f`.
    pub fn dyn_flag(self, name: &'static str, f: impl Fn() -> bool + 'static) -> H {
        self.dyn_attr(name, move || f().then(String::new))
    }
    /// A class that is on while `f` says so.
    pub fn dyn_class(self, class: &'static str, f: impl Fn() -> bool + 'static) -> H {
        let el = self.0.clone();
        effect_boxed(Box::new(move || {
            let _ = el.class_list().toggle_with_force(class, f());
        }));
        self
    }
    /// Content rebuilt whenever a signal `f` read with `.get()` changes (each rebuild in a
    /// fresh scope). Read with `.get_untracked()` what should not rebuild it.
    pub fn region(self, f: impl Fn(&H) + 'static) -> H {
        let el = self.clone();
        let shown: RefCell<Option<Scope>> = RefCell::new(None);
        let f: Box<dyn Fn(&H)> = Box::new(f);
        effect_boxed(Box::new(move || {
            let scope = Scope::new();
            el.clear();
            scope.run(|| f(&el));
            // Dropping the previous content's scope stops its listeners and effects.
            shown.replace(Some(scope));
        }));
        self
    }
    /// An `<input>`/`<textarea>`/`<select>` whose value and `value` follow each other.
    pub fn bind(self, value: RwSignal<String>) -> H {
        let el = self.0.clone();
        effect_boxed(Box::new(move || {
            let v = value.get();
            if input_value(&el) != v {
                set_input_value(&el, &v);
            }
        }));
        let el = self.0.clone();
        let event = if self.0.tag_name() == "SELECT" {
            "change"
        } else {
            "input"
        };
        self.on_boxed(event, Box::new(move |_| value.set(input_value(&el))))
    }
    /// A checkbox whose state and `checked` follow each other.
    pub fn bind_checked(self, checked: RwSignal<bool>) -> H {
        let input: HtmlInputElement = self.0.clone().unchecked_into();
        let shown = input.clone();
        effect_boxed(Box::new(move || shown.set_checked(checked.get())));
        self.on_boxed("change", Box::new(move |_| checked.set(input.checked())))
    }
    /// Focuses the element (for keyboard users after a dialog closes, say).
    pub fn focus(&self) {
        if let Some(el) = self.0.dyn_ref::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// The value of an input, textarea or select.
pub fn input_value(el: &Element) -> String {
    js_sys::Reflect::get(el, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

pub fn set_input_value(el: &Element, value: &str) {
    let _ = js_sys::Reflect::set(el, &"value".into(), &value.into());
}

/// What a person typed into the page's fields (by id), so that the page built again in the
/// other language gets it back. Files and passwords are not kept, nor fields marked
/// `data-no-keep` (a "select all" box, whose change would select what is there now).
pub struct Typed(Vec<(String, String, bool)>);

impl Typed {
    pub fn read() -> Typed {
        let mut fields = Vec::new();
        let all = document()
            .query_selector_all("main :is(input, textarea, select)[id]:not([data-no-keep])");
        if let Ok(list) = all {
            for i in 0..list.length() {
                let Some(el) = list.get(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                    continue;
                };
                let kind = el.get_attribute("type").unwrap_or_default();
                if kind == "file" || kind == "password" || kind == "hidden" {
                    continue;
                }
                let checked = js_sys::Reflect::get(&el, &"checked".into())
                    .ok()
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false);
                fields.push((el.id(), input_value(&el), checked));
            }
        }
        Typed(fields)
    }

    /// Puts it back into the rebuilt page's fields of the same ids, telling each field's
    /// listeners (so the signals bound to it follow); what has no field yet is kept for a later
    /// call (parts of the page that are fetched arrive later). True when all is back.
    pub fn restore(&mut self) -> bool {
        self.0.retain(|(id, value, checked)| {
            let Some(el) = document().get_element_by_id(id) else {
                return true;
            };
            let kind = el.get_attribute("type").unwrap_or_default();
            let event = if kind == "checkbox" || kind == "radio" {
                let _ = js_sys::Reflect::set(&el, &"checked".into(), &(*checked).into());
                "change"
            } else if el.tag_name() == "SELECT" || input_value(&el).is_empty() {
                // Text the person already typed into the new field wins.
                set_input_value(&el, value);
                if el.tag_name() == "SELECT" {
                    "change"
                } else {
                    "input"
                }
            } else {
                return false;
            };
            if let Ok(e) = Event::new(event) {
                let _ = el.dispatch_event(&e);
            }
            false
        });
        self.0.is_empty()
    }
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let wait = js_sys::Promise::new(&mut |done, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&done, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

/// Runs a future on the page (fetches, timers), its results shown only while the scope it was
/// started in lives.
pub fn spawn(f: impl std::future::Future<Output = ()> + 'static) {
    wasm_bindgen_futures::spawn_local(f);
}

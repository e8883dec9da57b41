//! Inline SVG icons drawn for this project: simple shapes that read at small sizes.

use crate::view::overview::ActorKind;
use yew::prelude::*;

/// The product mark: a key inside a node.
pub fn logo() -> Html {
    html! {
        <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <rect x="1" y="1" width="30" height="30" rx="8" class="logo-bg" />
            <circle cx="12" cy="16" r="5" class="logo-fg" fill="none" stroke-width="3" />
            <path d="M17 16 H26 M22 16 V20 M25 16 V19" class="logo-fg" fill="none"
                  stroke-width="3" stroke-linecap="round" />
        </svg>
    }
}

/// A small clock, beside the simulated time.
pub fn clock() -> Html {
    html! {
        <svg class="inline-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"
             fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round">
            <circle cx="8" cy="8" r="6.5" />
            <path d="M8 4.5 V8 L10.5 9.5" />
        </svg>
    }
}

/// An arrow down onto a tray.
pub fn download() -> Html {
    html! {
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="none"
             stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
            <path d="M8 2 V10 M4.5 6.5 L8 10 L11.5 6.5 M2.5 11 V13.5 H13.5 V11" />
        </svg>
    }
}

/// An open folder.
pub fn open_folder() -> Html {
    html! {
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="none"
             stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
            <path d="M1.8 12.5 V3.5 H6 L7.5 5 H12.5 V7 M1.8 12.5 L4 7 H14.5 L12.3 12.5 Z" />
        </svg>
    }
}

/// Two overlapping sheets.
pub fn copy() -> Html {
    html! {
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="none"
             stroke="currentColor" stroke-width="1.6" stroke-linejoin="round">
            <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
            <path d="M10.5 3.5v-.5a1.5 1.5 0 0 0-1.5-1.5H4a1.5 1.5 0 0 0-1.5 1.5v5A1.5 1.5 0 0 0 4 10.5h.5" />
        </svg>
    }
}

/// Three connected dots.
pub fn share() -> Html {
    html! {
        <svg class="button-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="none"
             stroke="currentColor" stroke-width="1.6" stroke-linecap="round">
            <circle cx="4" cy="8" r="2" />
            <circle cx="12" cy="3.5" r="2" />
            <circle cx="12" cy="12.5" r="2" />
            <path d="M5.8 7 10.2 4.5M5.8 9 10.2 11.5" />
        </svg>
    }
}

/// The 32×32 icon for an actor kind.
pub fn for_kind(kind: ActorKind) -> Html {
    let body = match kind {
        ActorKind::Compute => html! {
            <>
                <rect x="2" y="4" width="28" height="18" rx="2" />
                <path d="M11 28 H21 M16 22 V28" />
            </>
        },
        ActorKind::Endpoint => html! {
            <>
                <circle cx="16" cy="16" r="13" />
                <path d="M3 16 H29 M16 3 C 9 9, 9 23, 16 29 M16 3 C 23 9, 23 23, 16 29" />
            </>
        },
        ActorKind::Directory => html! {
            <>
                <path d="M16 2 L29 9 V23 L16 30 L3 23 V9 Z" />
                <circle cx="16" cy="13" r="4" />
                <path d="M9 24 C 10 19, 22 19, 23 24" />
            </>
        },
        ActorKind::Target => html! {
            <>
                <rect x="4" y="13" width="24" height="16" rx="3" />
                <path d="M9 13 V9 A7 7 0 0 1 23 9 V13" />
                <circle cx="16" cy="21" r="2.5" />
            </>
        },
    };
    html! {
        <svg class="icon" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true"
             fill="none" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">
            { body }
        </svg>
    }
}

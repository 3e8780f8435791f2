//! The page shell every dashboard page shares: head (stylesheet, icon, `app.js`), the
//! navigation bar and the footer. Scripts are files under `/assets/` only: the pages run
//! under a Content Security Policy without inline scripts or styles.

use maud::{DOCTYPE, Markup, html};

use super::assets;

/// Which navigation entry is the current page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Nav {
    /// The sessions list (and session pages).
    Sessions,
    /// Personal bests.
    Bests,
    /// Live timing.
    Live,
    /// None (error pages).
    None,
}

const LINKS: &[(Nav, &str, &str)] = &[
    (Nav::Sessions, "/", "Sessions"),
    (Nav::Bests, "/bests", "Personal bests"),
    (Nav::Live, "/live", "Live"),
];

/// A whole page: `title`, the navigation with `nav` marked current, and `body` in `<main>`.
pub(crate) fn page(title: &str, nav: Nav, body: Markup) -> Markup {
    page_with(title, nav, body, &[])
}

/// [`page`] with extra scripts (asset names) loaded after `app.js`.
pub(crate) fn page_with(title: &str, nav: Nav, body: Markup, scripts: &[&str]) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="dark";
                title { (title) " · pitwall" }
                link rel="stylesheet" href=(assets::url("app.css"));
                link rel="icon" type="image/svg+xml" href=(assets::url("icon.svg"));
                script src=(assets::url("app.js")) defer {}
                @for s in scripts {
                    script src=(assets::url(s)) defer {}
                }
            }
            body {
                header.top {
                    a.brand href="/" { "pitwall" }
                    nav {
                        @for (target, href, label) in LINKS {
                            @if *target == nav {
                                a href=(href) aria-current="page" { (label) }
                            } @else {
                                a href=(href) { (label) }
                            }
                        }
                    }
                }
                main { (body) }
                footer { "pitwall — lap times as Assetto Corsa Competizione timed them" }
            }
        }
    }
}

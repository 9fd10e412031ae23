//! The address of the page, for code that runs in an island as well as on the server.
//! Islands are hydrated without the router: in the browser, the query and the route's
//! parameters are read from the document's address, and going elsewhere is a page load.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

/// The routes with parameters, as the shell declares them: what [`use_params_map`] matches
/// the browser's path against.
const PARAM_ROUTES: [&str; 6] = [
    "/units/:id",
    "/plans/:id",
    "/plans/:id/print",
    "/reports/:cycle",
    "/reports/:cycle/units/:unit",
    "/recognition/:id",
];

/// The query of the page's address.
pub fn use_query_map() -> Memo<ParamsMap> {
    #[cfg(feature = "ssr")]
    {
        leptos_router::hooks::use_query_map()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let search = window().location().search().unwrap_or_default();
        let map = parse_query(&search);
        Memo::new(move |_| map.clone())
    }
}

/// The parameters of the page's route.
pub fn use_params_map() -> Memo<ParamsMap> {
    #[cfg(feature = "ssr")]
    {
        let _ = PARAM_ROUTES;
        leptos_router::hooks::use_params_map()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let path = window().location().pathname().unwrap_or_default();
        let map = match_params(&path);
        Memo::new(move |_| map.clone())
    }
}

/// Going to another address: a page load (in the browser; nothing on the server).
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone {
    |path: &str, _options: NavigateOptions| crate::components::load_page(path)
}

/// The parameters of `path` under the first of [`PARAM_ROUTES`] it matches.
pub fn match_params(path: &str) -> ParamsMap {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut map = ParamsMap::new();
    for route in PARAM_ROUTES {
        let pattern: Vec<&str> = route.trim_matches('/').split('/').collect();
        if pattern.len() != segments.len() {
            continue;
        }
        let matches = pattern
            .iter()
            .zip(&segments)
            .all(|(p, s)| p.starts_with(':') || p == s);
        if matches {
            for (p, s) in pattern.iter().zip(&segments) {
                if let Some(name) = p.strip_prefix(':') {
                    map.insert(name.to_string(), crate::text::percent_decode(s));
                }
            }
            break;
        }
    }
    map
}

/// The pairs of a query string (with or without its `?`), decoded.
pub fn parse_query(search: &str) -> ParamsMap {
    let mut map = ParamsMap::new();
    for pair in search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        map.insert(
            crate::text::percent_decode(&key.replace('+', " ")),
            crate::text::percent_decode(&value.replace('+', " ")),
        );
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_gives_its_route_parameters() {
        let map = match_params("/reports/12/units/345");
        assert_eq!(map.get("cycle").as_deref(), Some("12"));
        assert_eq!(map.get("unit").as_deref(), Some("345"));
        assert_eq!(
            match_params("/plans/7/print").get("id").as_deref(),
            Some("7")
        );
        assert_eq!(match_params("/plans/7").get("id").as_deref(), Some("7"));
        assert!(match_params("/reports").get("cycle").is_none());
    }

    #[test]
    fn a_query_is_decoded() {
        let map = parse_query("?q=S%C6%A1n+La&year=2026&empty");
        assert_eq!(map.get("q").as_deref(), Some("Sơn La"));
        assert_eq!(map.get("year").as_deref(), Some("2026"));
        assert_eq!(map.get("empty").as_deref(), Some(""));
    }
}

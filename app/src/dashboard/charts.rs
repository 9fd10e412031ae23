//! Charts drawn by the app as SVG: horizontal bars, the cumulative submissions curve and the
//! map of areas. Each is a figure with a title and a description for screen readers and the
//! same numbers as a table one tap away. The geometry is plain functions, tested below.

use super::{format_rate, CurvePoint, MapArea, MapShape};
use crate::i18n::use_i18n;
use crate::org::UnitRef;
use chrono::NaiveDate;
use leptos::prelude::*;

/// One bar: a label, a value out of `whole`, and a darker part of it (e.g. on time).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub part: i64,
    pub value: i64,
    pub whole: i64,
    pub href: Option<String>,
}

impl Bar {
    pub fn share(&self) -> f64 {
        crate::reports::CompletenessRow::rate(self.value, self.whole)
    }
}

const BAR_HEIGHT: f64 = 26.0;
const LABEL_WIDTH: f64 = 150.0;
const BARS_WIDTH: f64 = 360.0;

/// Horizontal bars, one per line, scaled to 100%.
#[component]
pub fn BarChart(
    id: String,
    title: String,
    description: String,
    /// Column headers of the table view: label, value, part, share.
    headers: [&'static str; 4],
    bars: Vec<Bar>,
) -> impl IntoView {
    let i = use_i18n();
    let height = BAR_HEIGHT * bars.len().max(1) as f64 + 8.0;
    let plot = BARS_WIDTH - LABEL_WIDTH - 52.0;
    let rows = bars.clone();
    view! {
        <figure class="chart">
            <figcaption id=format!("{id}-title")>{title.clone()}</figcaption>
            <svg
                viewBox=format!("0 0 {BARS_WIDTH} {height}")
                role="img"
                aria-labelledby=format!("{id}-svg-title {id}-desc")
                class="bars"
            >
                <title id=format!("{id}-svg-title")>{title}</title>
                <desc id=format!("{id}-desc")>{description}</desc>
                {bars
                    .into_iter()
                    .enumerate()
                    .map(|(k, bar)| {
                        let y = 4.0 + k as f64 * BAR_HEIGHT;
                        let full = plot * bar.share() / 100.0;
                        let part = plot * crate::reports::CompletenessRow::rate(bar.part, bar.whole) / 100.0;
                        let label = shorten(&bar.label, 22);
                        view! {
                            <g>
                                <text x=LABEL_WIDTH - 6.0 y=y + 16.0 text-anchor="end" class="bar-label">
                                    {label}
                                </text>
                                <rect x=LABEL_WIDTH y=y + 4.0 width=plot height=BAR_HEIGHT - 10.0 class="bar-track" />
                                <rect x=LABEL_WIDTH y=y + 4.0 width=full height=BAR_HEIGHT - 10.0 class="bar-value" />
                                <rect x=LABEL_WIDTH y=y + 4.0 width=part height=BAR_HEIGHT - 10.0 class="bar-part" />
                                <text x=LABEL_WIDTH + plot + 4.0 y=y + 16.0 class="bar-figure">
                                    {format!("{:.0}%", bar.share())}
                                </text>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <details class="chart-table">
                <summary>{i.pick("Xem dạng bảng", "Show as a table")}</summary>
                <table>
                    <thead>
                        <tr>
                            {headers.map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|bar| {
                                let share = format_rate(bar.share());
                                view! {
                                    <tr>
                                        <th scope="row">
                                            {match bar.href {
                                                Some(href) => view! { <a href=href>{bar.label}</a> }.into_any(),
                                                None => bar.label.into_any(),
                                            }}
                                        </th>
                                        <td class="num">{format!("{}/{}", bar.value, bar.whole)}</td>
                                        <td class="num">{bar.part}</td>
                                        <td class="num">{share}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// Cuts a label to `max` characters with an ellipsis.
pub fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut out: String = label.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

const CURVE_WIDTH: f64 = 360.0;
const CURVE_HEIGHT: f64 = 200.0;
const CURVE_LEFT: f64 = 36.0;
const CURVE_BOTTOM: f64 = 24.0;

/// The polyline of a cumulative curve in a box `width` × `height`, the y axis going up to
/// `top` reports.
pub fn curve_points(points: &[CurvePoint], top: i64, width: f64, height: f64) -> String {
    let n = points.len().max(2) - 1;
    let top = top.max(1) as f64;
    points
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let x = width * k as f64 / n as f64;
            let y = height - height * (p.submitted as f64 / top).min(1.0);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where `day` falls across a curve of `points`, in a box `width` wide.
fn day_x(points: &[CurvePoint], day: NaiveDate, width: f64) -> Option<f64> {
    let first = points.first()?.day;
    let n = points.len().max(2) - 1;
    let k = (day - first).num_days();
    (0..=n as i64)
        .contains(&k)
        .then(|| width * k as f64 / n as f64)
}

/// Reports in by day against the deadline and the number expected.
#[component]
pub fn CurveChart(
    id: String,
    title: String,
    description: String,
    points: Vec<CurvePoint>,
    expected: i64,
    due: NaiveDate,
    on_time_until: NaiveDate,
) -> impl IntoView {
    let i = use_i18n();
    let plot_w = CURVE_WIDTH - CURVE_LEFT - 8.0;
    let plot_h = CURVE_HEIGHT - CURVE_BOTTOM - 8.0;
    let line = curve_points(&points, expected, plot_w, plot_h);
    let due_x = day_x(&points, due, plot_w);
    let cutoff_x = day_x(&points, on_time_until, plot_w).filter(|_| on_time_until != due);
    let first = points.first().map(|p| p.day.format("%d/%m").to_string());
    let last = points.last().map(|p| p.day.format("%d/%m").to_string());
    // The table lists the days on which something arrived, and the deadline.
    let rows: Vec<CurvePoint> = points
        .iter()
        .enumerate()
        .filter(|(k, p)| p.day == due || *k == 0 || points[k - 1].submitted != p.submitted)
        .map(|(_, p)| *p)
        .collect();
    view! {
        <figure class="chart">
            <figcaption id=format!("{id}-title")>{title.clone()}</figcaption>
            <svg
                viewBox=format!("0 0 {CURVE_WIDTH} {CURVE_HEIGHT}")
                role="img"
                aria-labelledby=format!("{id}-svg-title {id}-desc")
                class="curve"
            >
                <title id=format!("{id}-svg-title")>{title}</title>
                <desc id=format!("{id}-desc")>{description}</desc>
                <g transform=format!("translate({CURVE_LEFT} 8)")>
                    <line x1="0" y1="0" x2=plot_w y2="0" class="curve-expected" />
                    <line x1="0" y1=plot_h x2=plot_w y2=plot_h class="axis" />
                    <line x1="0" y1="0" x2="0" y2=plot_h class="axis" />
                    <text x="-4" y="4" text-anchor="end" class="axis-label">{expected}</text>
                    <text x="-4" y=plot_h text-anchor="end" class="axis-label">"0"</text>
                    {cutoff_x.map(|x| view! {
                        <line x1=x y1="0" x2=x y2=plot_h class="curve-cutoff" />
                    })}
                    {due_x.map(|x| view! {
                        <line x1=x y1="0" x2=x y2=plot_h class="curve-due" />
                        <text x=x y=plot_h + 18.0 text-anchor="middle" class="axis-label">
                            {i.pick("Hạn nộp", "Deadline")}
                        </text>
                    })}
                    <polyline points=line class="curve-line" />
                    <text x="0" y=plot_h + 18.0 class="axis-label">{first}</text>
                    <text x=plot_w y=plot_h + 18.0 text-anchor="end" class="axis-label">{last}</text>
                </g>
            </svg>
            <details class="chart-table">
                <summary>{i.pick("Xem dạng bảng", "Show as a table")}</summary>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{i.pick("Ngày", "Day")}</th>
                            <th scope="col">{i.pick("Đã nộp (cộng dồn)", "In (cumulative)")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|p| {
                                let mark = (p.day == due).then_some(" (hạn nộp)");
                                view! {
                                    <tr>
                                        <th scope="row">{p.day.format("%d/%m/%Y").to_string()}{mark}</th>
                                        <td class="num">{format!("{}/{}", p.submitted, expected)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

// The map

/// Longitude, latitude.
pub type Ring = Vec<(f64, f64)>;

/// The outer rings of a GeoJSON Polygon or MultiPolygon (or a Feature holding one).
pub fn rings_of(geometry: &str) -> Result<Vec<Ring>, String> {
    let value: serde_json::Value =
        serde_json::from_str(geometry).map_err(|_| "không phải JSON hợp lệ".to_string())?;
    rings_of_value(&value)
}

pub fn rings_of_value(value: &serde_json::Value) -> Result<Vec<Ring>, String> {
    let value = match value.get("type").and_then(|t| t.as_str()) {
        Some("Feature") => value
            .get("geometry")
            .ok_or_else(|| "đối tượng Feature không có geometry".to_string())?,
        _ => value,
    };
    let coordinates = value
        .get("coordinates")
        .ok_or_else(|| "thiếu coordinates".to_string())?;
    let polygons: Vec<&serde_json::Value> = match value.get("type").and_then(|t| t.as_str()) {
        Some("Polygon") => vec![coordinates],
        Some("MultiPolygon") => coordinates
            .as_array()
            .ok_or_else(|| "coordinates của MultiPolygon phải là mảng".to_string())?
            .iter()
            .collect(),
        Some(other) => {
            return Err(format!(
                "kiểu hình “{other}” không dùng được; cần Polygon hoặc MultiPolygon"
            ))
        }
        None => return Err("thiếu type".into()),
    };
    let mut rings = Vec::new();
    for polygon in polygons {
        // The first ring is the outline; holes are not drawn.
        let outer = polygon
            .as_array()
            .and_then(|p| p.first())
            .and_then(|r| r.as_array())
            .ok_or_else(|| "đa giác không có đường bao".to_string())?;
        let mut ring = Vec::with_capacity(outer.len());
        for point in outer {
            let pair = point.as_array().filter(|p| p.len() >= 2);
            let (lon, lat) = match pair.map(|p| (p[0].as_f64(), p[1].as_f64())) {
                Some((Some(lon), Some(lat))) => (lon, lat),
                _ => return Err("mỗi điểm phải là [kinh độ, vĩ độ]".into()),
            };
            if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                return Err(format!("toạ độ ngoài phạm vi: [{lon}, {lat}]"));
            }
            ring.push((lon, lat));
        }
        if ring.len() < 4 {
            return Err("một đường bao cần ít nhất 4 điểm".into());
        }
        rings.push(ring);
    }
    if rings.is_empty() {
        return Err("không có đa giác nào".into());
    }
    Ok(rings)
}

/// Fits the areas' outlines into a box 1000 wide, north up, longitude shrunk by the cosine
/// of the middle latitude so that shapes keep their proportions.
pub fn project(shapes: Vec<(UnitRef, Vec<Ring>)>) -> Option<MapShape> {
    let points = shapes.iter().flat_map(|(_, rings)| rings.iter().flatten());
    let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) =
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (lon, lat) in points {
        min_lon = min_lon.min(*lon);
        max_lon = max_lon.max(*lon);
        min_lat = min_lat.min(*lat);
        max_lat = max_lat.max(*lat);
    }
    if shapes.is_empty() || max_lon <= min_lon || max_lat <= min_lat {
        return None;
    }
    let shrink = ((min_lat + max_lat) / 2.0).to_radians().cos();
    let scale = 1000.0 / ((max_lon - min_lon) * shrink);
    let height = ((max_lat - min_lat) * scale).round();
    let areas = shapes
        .into_iter()
        .map(|(area, rings)| {
            let path = rings
                .iter()
                .map(|ring| {
                    let mut d = String::new();
                    for (k, (lon, lat)) in ring.iter().enumerate() {
                        let x = (lon - min_lon) * shrink * scale;
                        let y = (max_lat - lat) * scale;
                        d.push_str(&format!("{}{x:.1},{y:.1}", if k == 0 { "M" } else { "L" }));
                    }
                    d.push('Z');
                    d
                })
                .collect::<String>();
            MapArea { area, path }
        })
        .collect();
    Some(MapShape { height, areas })
}

/// The colour band of a rate: 0 (below 50%) to 4 (90% and above).
pub fn band(rate: f64) -> usize {
    match rate {
        r if r >= 90.0 => 4,
        r if r >= 75.0 => 3,
        r if r >= 60.0 => 2,
        r if r >= 50.0 => 1,
        _ => 0,
    }
}

pub const BAND_LABELS: [&str; 5] = ["< 50%", "50–60%", "60–75%", "75–90%", "≥ 90%"];

/// The areas coloured by a rate; tapping one drills into it.
#[component]
pub fn AreaMap(
    title: String,
    description: String,
    shape: MapShape,
    /// Per area: its rate (none when nothing is expected there) and where a tap leads.
    rates: Vec<(i64, Option<f64>, String)>,
) -> impl IntoView {
    let i = use_i18n();
    let height = shape.height;
    view! {
        <figure class="chart map">
            <figcaption>{title.clone()}</figcaption>
            <svg
                viewBox=format!("-4 -4 1008 {}", height + 8.0)
                role="img"
                aria-labelledby="map-title map-desc"
                class="area-map"
            >
                <title id="map-title">{title}</title>
                <desc id="map-desc">{description}</desc>
                {shape
                    .areas
                    .into_iter()
                    .map(|a| {
                        let found = rates.iter().find(|(id, _, _)| *id == a.area.id);
                        let class = match found.and_then(|(_, r, _)| *r) {
                            Some(rate) => format!("map-area band-{}", band(rate)),
                            None => "map-area band-none".to_string(),
                        };
                        let href = found.map(|(_, _, h)| h.clone());
                        let navigate = crate::nav::use_navigate();
                        view! {
                            <path
                                d=a.path
                                class=class
                                on:click=move |_| {
                                    if let Some(href) = href.as_deref() {
                                        navigate(href, Default::default());
                                    }
                                }
                            />
                        }
                    })
                    .collect_view()}
            </svg>
            <ul class="legend" aria-label=i.pick("Chú giải", "Legend")>
                {BAND_LABELS
                    .iter()
                    .enumerate()
                    .map(|(k, label)| view! {
                        <li><span class=format!("swatch band-{k}") aria-hidden="true"></span>{*label}</li>
                    })
                    .collect_view()}
                <li>
                    <span class="swatch band-none" aria-hidden="true"></span>
                    {i.pick("Không có báo cáo", "No reports due")}
                </li>
            </ul>
        </figure>
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).unwrap()
    }

    #[test]
    fn a_curve_rises_to_the_top_of_its_box_when_everyone_is_in() {
        let points = vec![
            CurvePoint {
                day: day(1),
                submitted: 0,
            },
            CurvePoint {
                day: day(2),
                submitted: 5,
            },
            CurvePoint {
                day: day(3),
                submitted: 10,
            },
        ];
        assert_eq!(
            curve_points(&points, 10, 100.0, 50.0),
            "0.0,50.0 50.0,25.0 100.0,0.0"
        );
        assert_eq!(day_x(&points, day(2), 100.0), Some(50.0));
        assert_eq!(day_x(&points, day(9), 100.0), None);
    }

    #[test]
    fn polygons_and_multipolygons_are_read_and_bad_ones_refused() {
        let square =
            r#"{"type":"Polygon","coordinates":[[[105,21],[106,21],[106,22],[105,22],[105,21]]]}"#;
        assert_eq!(rings_of(square).unwrap()[0].len(), 5);
        let feature = format!(r#"{{"type":"Feature","properties":{{}},"geometry":{square}}}"#);
        assert_eq!(rings_of(&feature).unwrap().len(), 1);
        let multi = r#"{"type":"MultiPolygon","coordinates":[[[[105,21],[106,21],[106,22],[105,21]]],[[[107,21],[108,21],[108,22],[107,21]]]]}"#;
        assert_eq!(rings_of(multi).unwrap().len(), 2);
        assert!(rings_of(r#"{"type":"Point","coordinates":[105,21]}"#)
            .unwrap_err()
            .contains("Point"));
        assert!(
            rings_of(r#"{"type":"Polygon","coordinates":[[[105,91],[1,1],[2,2],[105,91]]]}"#)
                .unwrap_err()
                .contains("ngoài phạm vi")
        );
        assert!(rings_of("not json").is_err());
    }

    #[test]
    fn the_map_keeps_north_up_and_fills_the_width() {
        let unit = |id| UnitRef {
            id,
            code: String::new(),
            name: String::new(),
        };
        let west = vec![vec![
            (105.0, 21.0),
            (105.5, 21.0),
            (105.5, 21.5),
            (105.0, 21.5),
        ]];
        let east = vec![vec![
            (105.5, 21.0),
            (106.0, 21.0),
            (106.0, 21.5),
            (105.5, 21.5),
        ]];
        let shape = project(vec![(unit(1), west), (unit(2), east)]).unwrap();
        // 1 degree of longitude at 21.25°N is about 0.93 of a degree of latitude.
        assert!((shape.height - 537.0).abs() < 2.0, "{}", shape.height);
        assert!(shape.areas[0].path.starts_with("M0.0,"));
        assert!(shape.areas[1].path.contains("L1000.0,"));
        assert!(project(Vec::new()).is_none());
    }

    #[test]
    fn bands_cover_every_rate() {
        assert_eq!(band(0.0), 0);
        assert_eq!(band(55.0), 1);
        assert_eq!(band(74.9), 2);
        assert_eq!(band(89.99), 3);
        assert_eq!(band(100.0), 4);
    }
}

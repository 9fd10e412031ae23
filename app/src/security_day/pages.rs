//! The page of the 19/8 day: a school records what it held (on a phone, at the end of the
//! day), with photos; areas and the department see who held it, how many took part, the
//! forms, and the pilot sites.

use super::api::{delete_security_day_photo, security_day_of_year};
use super::{photo_upload_url, photo_url, ActivityForm, DayOverview, DayPhoto, OwnDay, MAX_PHOTOS};
use crate::components::{
    file_size, ErrorNotice, FilePicker, Loading, PagePosted, PageTitle, YearSelect,
};
use crate::i18n::use_i18n;
use crate::nav::use_query_map;
use crate::reports::AttachmentKind;
use leptos::prelude::*;

/// The page. A school's record of the day and its photos are plain forms posting to the
/// page's own address; one the server refused comes back as a [`PagePosted`].
#[component]
pub fn SecurityDayPage() -> impl IntoView {
    let posted = use_context::<PagePosted>();
    view! { <SecurityDayView posted /> }
}

#[cfg_attr(feature = "movement", island)]
#[cfg_attr(not(feature = "movement"), component)]
fn SecurityDayView(posted: Option<PagePosted>) -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let done = query
        .with_untracked(|q| q.get("done"))
        .filter(|_| posted.is_none());
    let posted = StoredValue::new(posted);
    let year = move || query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    let overview = Resource::new(year, security_day_of_year);
    view! {
        <PageTitle text=i.pick("Ngày hội toàn dân bảo vệ ANTQ (19/8)", "The movement's day (19 August)") />
        <h1>{i.pick("Ngày hội toàn dân bảo vệ ANTQ (19/8)", "The movement's day (19 August)")}</h1>
        {done.map(|d| view! {
            <p class="notice notice-ok" role="status" data-testid="day-done">{match d.as_str() {
                "photo" => i.pick("Đã thêm ảnh.", "The photo was added."),
                _ => i.pick("Đã lưu ngày hội.", "The day was saved."),
            }}</p>
        })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(o) => view! { <Overview o posted=posted.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: DayOverview, posted: Option<PagePosted>) -> impl IntoView {
    let i = use_i18n();
    let year = o.year;
    let totals = o.totals();
    let show_figures = o.own.is_empty() || o.areas.len() > 1 || totals.schools > 1;
    view! {
        <YearSelect id="day-year" year last=o.current_year action="/day-19-8" />
        {o.own.into_iter().map(|own| view! { <OwnDayPanel own year today=o.today may=o.may_record posted=posted.clone() /> }).collect_view()}
        {show_figures.then(|| view! {
            <section aria-labelledby="day-figures">
                <h2 id="day-figures">{format!("{} {year}", i.pick("Kết quả tổ chức năm", "Results of"))}</h2>
                <ul class="stats">
                    <li class="stat"><span class="stat-value">{format!("{}/{}", totals.held, totals.schools)}</span>
                        <span class="stat-label">{i.pick("trường đã tổ chức", "schools held the day")}</span></li>
                    <li class="stat"><span class="stat-value">{crate::reports::format_number(totals.participants as f64)}</span>
                        <span class="stat-label">{i.pick("lượt người tham gia", "participants")}</span></li>
                    <li class="stat"><span class="stat-value">{format!("{}/{}", totals.pilots_held, totals.pilots)}</span>
                        <span class="stat-label">{i.pick("điểm chỉ đạo đã tổ chức", "pilot sites held it")}</span></li>
                </ul>
                <div class="table-scroll" tabindex="0" role="region" aria-label=i.pick("Bảng theo khu vực", "Table by area")>
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{i.pick("Khu vực", "Area")}</th>
                            <th scope="col">{i.pick("Đã tổ chức", "Held")}</th>
                            <th scope="col">{i.pick("Số trường", "Schools")}</th>
                            <th scope="col">{i.pick("Người tham gia", "Participants")}</th>
                            <th scope="col">{i.pick("Điểm chỉ đạo", "Pilot sites")}</th>
                        </tr></thead>
                        <tbody>
                            {o.areas.iter().map(|a| view! {
                                <tr>
                                    <td>{a.area.as_ref().map(|x| x.name.clone()).unwrap_or_else(|| "Trực thuộc Sở".into())}</td>
                                    <td class="count">{a.held}</td>
                                    <td class="count">{a.schools}</td>
                                    <td class="count">{crate::reports::format_number(a.participants as f64)}</td>
                                    <td class="count">{format!("{}/{}", a.pilots_held, a.pilots)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <h3>{i.pick("Hình thức hoạt động", "Forms of activity")}</h3>
                <ul class="plain-list form-counts">
                    {o.forms.iter().map(|(f, n)| {
                        let f = *f;
                        view! { <li><span>{i.pick(f.label(), f.label_en())}</span>" "<strong>{*n}</strong></li> }
                    }).collect_view()}
                </ul>
                <h3>{i.pick("Điểm chỉ đạo", "Pilot sites")}</h3>
                {if o.pilots.is_empty() {
                    view! { <p class="muted">{i.pick("Chưa có kế hoạch nào của năm chọn điểm chỉ đạo.", "No plan of the year has named pilot sites.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="report-list">
                            {o.pilots.iter().map(|p| view! {
                                <li class="report-card">
                                    <span class="plan-title">{p.unit.name.clone()}</span>
                                    <div class="unit-meta">
                                        <span>{p.area.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "Trực thuộc Sở".into())}</span>
                                        {match p.held_on {
                                            Some(d) => view! { <span class="badge badge-ok">{format!("{} {}", i.pick("Đã tổ chức", "Held"), d.format("%d/%m/%Y"))}</span> }.into_any(),
                                            None => view! { <span class="badge badge-warn">{i.pick("Chưa ghi nhận", "Not recorded")}</span> }.into_any(),
                                        }}
                                        {p.participants.map(|n| view! { <span>{format!("{n} {}", i.pick("người", "people"))}</span> })}
                                    </div>
                                    {(!p.photos.is_empty()).then(|| view! {
                                        <ul class="photo-list photo-list-small" aria-label=format!("{} {}", i.pick("Ảnh của", "Photos of"), p.unit.name)>
                                            {p.photos.iter().enumerate().map(|(k, ph)| view! {
                                                <li>
                                                    <a href=photo_url(ph.id) target="_blank" rel="noopener">
                                                        <img src=photo_url(ph.id) alt=format!("{} {}, {}", i.pick("Ảnh", "Photo"), k + 1, p.unit.name) loading="lazy" width="96" height="60" />
                                                    </a>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        })}
    }
}

/// A school's record of the year: a plain form (with a first photo), and its photos once the
/// record is saved.
#[component]
fn OwnDayPanel(
    own: OwnDay,
    year: i32,
    today: chrono::NaiveDate,
    may: bool,
    posted: Option<PagePosted>,
) -> impl IntoView {
    let i = use_i18n();
    let unit = own.unit.id;
    let default_day = chrono::NaiveDate::from_ymd_opt(year, 8, 19)
        .unwrap_or(today)
        .min(today);
    let last_day = chrono::NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or(today)
        .min(today)
        .format("%Y-%m-%d")
        .to_string();
    let record = own.record.clone();
    // What a refused post sent, else the record, else the day's defaults.
    let mine = PagePosted::of(&posted, &format!("day-{unit}"));
    let value = |name: &str, stored: Option<String>| {
        mine.as_ref()
            .map(|p| p.field(name))
            .or(stored)
            .unwrap_or_default()
    };
    let held_on = value(
        "held_on",
        Some(
            record
                .as_ref()
                .map(|r| r.held_on)
                .unwrap_or(default_day)
                .format("%Y-%m-%d")
                .to_string(),
        ),
    );
    let participants = value(
        "participants",
        record.as_ref().map(|r| r.participants.to_string()),
    );
    let note = value("note", record.as_ref().map(|r| r.note.clone()));
    let ticked = |f: ActivityForm| match &mine {
        Some(p) => p.field("activity").split(' ').any(|c| c == f.code()),
        None => record.as_ref().is_some_and(|r| r.forms.contains(&f)),
    };
    let photos = RwSignal::new(
        record
            .as_ref()
            .map(|r| r.photos.clone())
            .unwrap_or_default(),
    );
    let saved = record.is_some();
    let page = format!("/day-19-8?year={year}");
    let (heading, labelled_by) = (format!("day-{unit}"), format!("day-{unit}"));
    let p = |s: &str| format!("{s}-{unit}");
    // The photo forms' refusals (adding one, removing one) are shown under the photos.
    let photo_problem = PagePosted::of(&posted, &format!("photo-{unit}"))
        .or_else(|| PagePosted::of(&posted, &format!("remove-{unit}")));
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <h2 id=heading>{own.unit.name.clone()}</h2>
            {own.pilot.then(|| view! { <p><span class="badge badge-stage">{i.pick("Điểm chỉ đạo của năm", "Pilot site of the year")}</span></p> })}
            {if !may {
                match record.clone() {
                    Some(r) => view! {
                        <p>{format!("{} {} · {} {}", i.pick("Tổ chức ngày", "Held on"), r.held_on.format("%d/%m/%Y"), r.participants, i.pick("người tham gia", "participants"))}</p>
                    }.into_any(),
                    None => view! { <p class="muted">{i.pick("Không ghi nhận ngày hội năm này.", "Nothing recorded for this year.")}</p> }.into_any(),
                }
            } else {
                view! {
                    <form method="post" action=page.clone() enctype="multipart/form-data" class="stack-form day-form">
                        <input type="hidden" name="form" value="day" />
                        <input type="hidden" name="unit" value=unit.to_string() />
                        <input type="hidden" name="year" value=year.to_string() />
                        <div class="inline-fields">
                            <div class="field field-narrow">
                                <label for=p("day-date")>{i.pick("Ngày tổ chức", "Held on")}</label>
                                <input id=p("day-date") name="held_on" type="date" required min=format!("{year}-01-01") max=last_day
                                    value=held_on />
                            </div>
                            <div class="field field-narrow">
                                <label for=p("day-people")>{i.pick("Số người tham gia", "Participants")}</label>
                                <input id=p("day-people") name="participants" type="text" inputmode="numeric" required autocomplete="off"
                                    value=participants />
                            </div>
                        </div>
                        <fieldset class="choice-group">
                            <legend>{i.pick("Hình thức hoạt động", "Forms of activity")}</legend>
                            {ActivityForm::ALL.into_iter().map(|f| view! {
                                <label class="check">
                                    <input type="checkbox" name="activity" value=f.code() checked=ticked(f) />
                                    {i.pick(f.label(), f.label_en())}
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <div class="field">
                            <label for=p("day-note")>{i.pick("Nội dung chính, phối hợp (không bắt buộc)", "What was done, with whom (optional)")}</label>
                            <textarea id=p("day-note") name="note" rows="3" maxlength="2000">{note}</textarea>
                        </div>
                        {(!saved).then(|| view! {
                            <div class="field">
                                <label for=p("day-first-photo")>{i.pick("Ảnh (không bắt buộc)", "A photo (optional)")}</label>
                                <input id=p("day-first-photo") name="photo" type="file" class="file-native"
                                    accept=AttachmentKind::Photo.accept() />
                            </div>
                        })}
                        <button type="submit" class="button button-large">
                            {i.pick("Lưu ngày hội", "Save")}
                        </button>
                        {mine.map(|p| view! { <ErrorNotice error=p.error /> })}
                    </form>
                }.into_any()
            }}
            <Photos unit year photos editable=may && saved page problem=photo_problem />
            {(may && !saved).then(|| view! {
                <p class="hint">{i.pick("Ảnh khác gửi thêm sau khi lưu ngày hội.", "More photos can be added once the day is saved.")}</p>
            })}
        </section>
    }
}

/// The photos of a school's day, each removable after a confirmation (a disclosure holding
/// the removing form), and a picker while there is room.
#[component]
fn Photos(
    unit: i64,
    year: i32,
    photos: RwSignal<Vec<DayPhoto>>,
    editable: bool,
    /// Where the page's forms post.
    page: String,
    /// The photo form's refused post.
    problem: Option<PagePosted>,
) -> impl IntoView {
    let i = use_i18n();
    let enhanced = RwSignal::new(false);
    Effect::new(move |_| enhanced.set(true));
    let page = StoredValue::new(page);
    let remove = Action::new(move |id: &i64| {
        let id = *id;
        async move { delete_security_day_photo(id).await.map(|_| id) }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = remove.value().get() {
            photos.update(|p| p.retain(|x| x.id != id));
        }
    });
    let on_uploaded = Callback::new(move |answer: serde_json::Value| {
        if let Ok(list) = serde_json::from_value::<Vec<DayPhoto>>(answer) {
            photos.set(list);
        }
    });
    view! {
        <h3>{move || format!("{} ({}/{MAX_PHOTOS})", i.pick("Ảnh", "Photos"), photos.with(Vec::len))}</h3>
        {move || photos.with(Vec::is_empty).then(|| view! { <p class="muted">{i.pick("Chưa có ảnh.", "No photos yet.")}</p> })}
        <ul class="photo-list">
            {move || photos.get().into_iter().map(|ph| {
                let id = ph.id;
                let label = StoredValue::new(format!(" {}", ph.file_name));
                view! {
                    <li>
                        <a href=photo_url(id) target="_blank" rel="noopener">
                            <img src=photo_url(id) alt=ph.file_name.clone() loading="lazy" width="160" height="120" />
                        </a>
                        <span class="as-of">{format!("{} ({})", ph.file_name, file_size(ph.size))}</span>
                        {editable.then(|| {
                            let page = page.get_value();
                            view! {
                                // Opening asks; the form inside removes (posted plainly
                                // without the bundle, in place with it).
                                <details class="confirm-tool">
                                    <summary class="button button-remove">
                                        {i.pick("Xoá", "Remove")}<span class="visually-hidden">{label.get_value()}</span>
                                    </summary>
                                    <form method="post" action=page enctype="multipart/form-data"
                                        on:submit=move |ev| { ev.prevent_default(); remove.dispatch(id); }>
                                        <input type="hidden" name="form" value="remove" />
                                        <input type="hidden" name="unit" value=unit.to_string() />
                                        <input type="hidden" name="year" value=year.to_string() />
                                        <input type="hidden" name="photo_id" value=id.to_string() />
                                        <button type="submit" class="button" disabled=move || remove.pending().get()>
                                            {i.pick("Xoá ảnh này", "Remove this photo")}
                                        </button>
                                    </form>
                                </details>
                            }
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || remove.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
        {move || (editable && photos.with(Vec::len) < MAX_PHOTOS).then(|| view! {
            <form method="post" action=page.get_value() enctype="multipart/form-data" class="file-slot">
                <input type="hidden" name="form" value="photo" />
                <input type="hidden" name="unit" value=unit.to_string() />
                <input type="hidden" name="year" value=year.to_string() />
                <FilePicker url=photo_upload_url(unit, year) input_id=format!("day-photo-{unit}") name="photo"
                    label=i.pick("Ảnh ngày hội", "Photo of the day").to_string()
                    has_file=Signal::derive(|| false) on_uploaded kind=AttachmentKind::Photo />
                <button type="submit" class="tool" hidden=move || enhanced.get()>{i.pick("Gửi ảnh", "Send the photo")}</button>
            </form>
        })}
        {problem.map(|p| view! { <ErrorNotice error=p.error /> })}
    }
}

//! The models page: a school registers the models it runs and attaches evidence; reviewers
//! rate each school's model for the year and mark good ones for replication; everyone sees
//! how far each model has spread, by area; the department adds models to the catalogue.

use super::api::{add_model, models_of_year};
use super::{evidence_url, Evidence, ModelRun, ModelsOverview, Rating, MAX_PLACES};
use crate::components::{
    file_size, submit_own_form, ErrorNotice, FilePicker, Loading, PagePosted, PageTitle, YearSelect,
};
use crate::i18n::use_i18n;
use crate::nav::use_query_map;
use crate::org::UnitRef;
use leptos::prelude::*;

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The page. A school's registration and evidence and a reviewer's rating are plain forms
/// posting to the page's own address; one the server refused comes back as a [`PagePosted`].
#[component]
pub fn ModelsPage() -> impl IntoView {
    let posted = use_context::<PagePosted>();
    view! { <ModelsView posted /> }
}

#[cfg_attr(feature = "movement", island)]
#[cfg_attr(not(feature = "movement"), component)]
fn ModelsView(posted: Option<PagePosted>) -> impl IntoView {
    let i = use_i18n();
    let done = use_query_map()
        .with_untracked(|q| q.get("done"))
        .filter(|_| posted.is_none());
    let posted = StoredValue::new(posted);
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name).and_then(|v| v.parse::<i64>().ok()));
    let reload = RwSignal::new(0u32);
    let overview = Resource::new(
        move || (param("year"), param("area"), reload.get()),
        |(year, area, _)| models_of_year(year.map(|y| y as i32), area),
    );
    view! {
        <PageTitle text=i.pick("Mô hình bảo đảm an ninh, trật tự", "Safety models") />
        <h1>{i.pick("Mô hình bảo đảm an ninh, trật tự", "Safety models")}</h1>
        <p class="lead">{i.pick(
            "Các mô hình trường học triển khai, đánh giá hằng năm và nhân rộng mô hình hiệu quả.",
            "The models schools run, their yearly review and the ones chosen for replication.")}</p>
        {done.map(|d| view! {
            <p class="notice notice-ok" role="status" data-testid="models-done">{match d.as_str() {
                "evidence" => i.pick("Đã lưu minh chứng.", "The evidence was saved."),
                "review" => i.pick("Đã lưu đánh giá.", "The review was saved."),
                _ => i.pick("Đã đăng ký mô hình.", "The model was registered."),
            }}</p>
        })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(o) => view! { <Overview o reload posted=posted.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: ModelsOverview, reload: RwSignal<u32>, posted: Option<PagePosted>) -> impl IntoView {
    let i = use_i18n();
    let year = o.year;
    let area = o.area;
    let link = move |year: i32, area: Option<i64>| match area {
        Some(a) => format!("/models?year={year}&area={a}"),
        None => format!("/models?year={year}"),
    };
    let own = o.own_schools.clone();
    let totals = o.totals();
    // Where the page's forms post: the page as it is.
    let page = link(year, area);
    let o = StoredValue::new(o);
    view! {
        <YearSelect id="models-year" year last=o.with_value(|o| o.current_year) action="/models">
            {o.with_value(|o| (o.own_schools.is_empty() && o.areas.len() > 1).then(|| {
                let areas = o.areas.clone();
                view! {
                    <div class="field">
                        <label for="models-area">{i.pick("Khu vực", "Area")}</label>
                        <select id="models-area" name="area" on:change=submit_own_form>
                            {areas.into_iter().map(|a| view! {
                                <option value=a.id.to_string() selected=Some(a.id) == area>{a.name}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }
            }))}
        </YearSelect>
        {own.into_iter().map(|school| view! { <OwnSchool school o page=page.clone() posted=posted.clone() /> }).collect_view()}
        <section aria-labelledby="spread-title">
            <h2 id="spread-title">{format!("{} {year}", i.pick("Mức độ nhân rộng năm", "How far each model has spread in"))}</h2>
            <p class="as-of">{i.pick(
                "Trường đang triển khai tính đến cuối năm (hoặc hôm nay), theo khu vực lúc đó; đánh giá của năm.",
                "Schools running the model by the end of the year (or today), by the areas of that day; the year's reviews.")}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=i.pick("Số trường và điểm triển khai theo mô hình", "Schools and places per model")>
                <table class="data-table" id="model-totals">
                    <caption class="visually-hidden">{i.pick("Số trường và điểm triển khai theo mô hình", "Schools and places per model")}</caption>
                    <thead><tr>
                        <th scope="col">{i.pick("Mô hình", "Model")}</th>
                        <th scope="col" class="count">{i.pick("Số trường", "Schools")}</th>
                        <th scope="col" class="count">{i.pick("Số điểm", "Places")}</th>
                        <th scope="col" class="count">{i.pick("Xếp loại tốt", "Rated good")}</th>
                        <th scope="col" class="count">{i.pick("Chọn nhân rộng", "To replicate")}</th>
                    </tr></thead>
                    <tbody>
                        {totals.into_iter().map(|(m, t)| view! {
                            <tr>
                                <th scope="row">{m.name}</th>
                                <td class="count">{t.schools}</td>
                                <td class="count">{t.places}</td>
                                <td class="count">{t.good}</td>
                                <td class="count">{t.replicate}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <ByArea o />
        </section>
        {o.with_value(|o| o.own_schools.is_empty()).then(|| view! { <AreaRuns o page=page.clone() posted=posted.clone() /> })}
        {o.with_value(|o| o.may_manage).then(|| view! { <Catalogue o reload /> })}
    }
}

/// The counts of one model by area, the model chosen from a list.
#[component]
fn ByArea(o: StoredValue<ModelsOverview>) -> impl IntoView {
    let i = use_i18n();
    let chosen = RwSignal::new(o.with_value(|o| o.catalogue.first().map(|m| m.id)));
    let rows = move || {
        o.with_value(|o| {
            o.by_area
                .iter()
                .filter(|c| Some(c.model) == chosen.get())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h3 id="by-area-title">{i.pick("Theo khu vực", "By area")}</h3>
        <div class="field">
            <label for="by-area-model">{i.pick("Xem mô hình", "Show the model")}</label>
            <select id="by-area-model" on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                {o.with_value(|o| o.catalogue.iter().map(|m| view! {
                    <option value=m.id.to_string()>{m.name.clone()}</option>
                }).collect_view())}
            </select>
        </div>
        {move || {
            let rows = rows();
            if rows.is_empty() {
                view! { <p class="empty-state">{i.pick("Chưa có trường nào triển khai mô hình này.", "No school runs this model yet.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="by-area-title">
                        <table class="data-table" aria-labelledby="by-area-title">
                            <thead><tr>
                                <th scope="col">{i.pick("Khu vực", "Area")}</th>
                                <th scope="col" class="count">{i.pick("Số trường", "Schools")}</th>
                                <th scope="col" class="count">{i.pick("Số điểm", "Places")}</th>
                                <th scope="col" class="count">{i.pick("Tốt", "Good")}</th>
                                <th scope="col" class="count">{i.pick("Nhân rộng", "Replicate")}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|c| view! {
                                    <tr>
                                        <th scope="row">{c.area.map(|a| a.name).unwrap_or_else(|| "Trực thuộc Sở".into())}</th>
                                        <td class="count">{c.schools}</td>
                                        <td class="count">{c.places}</td>
                                        <td class="count">{c.good}</td>
                                        <td class="count">{c.replicate}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }
        }}
    }
}

fn review_text(run: &ModelRun, i: crate::i18n::I18n) -> String {
    match &run.review {
        None => i.pick("Chưa đánh giá", "Not reviewed").to_string(),
        Some(r) => {
            let rating = i.pick(r.rating.label(), r.rating.label_en());
            if r.replicate {
                format!("{rating} · {}", i.pick("chọn nhân rộng", "to replicate"))
            } else {
                rating.to_string()
            }
        }
    }
}

fn evidence_link(run: i64, e: &Evidence) -> impl IntoView {
    view! {
        <a class="evidence-file" href=evidence_url(run) download>
            {e.file_name.clone()}<span class="as-of">{format!(" ({})", file_size(e.size))}</span>
        </a>
    }
}

/// A school's own models: the list with evidence, and the form to register another.
#[component]
fn OwnSchool(
    school: UnitRef,
    o: StoredValue<ModelsOverview>,
    page: String,
    posted: Option<PagePosted>,
) -> impl IntoView {
    let i = use_i18n();
    let unit = school.id;
    let runs: Vec<ModelRun> = o.with_value(|o| {
        o.runs
            .iter()
            .filter(|r| r.unit.id == unit)
            .cloned()
            .collect()
    });
    let open: Vec<(i64, String)> = o.with_value(|o| {
        o.catalogue
            .iter()
            .filter(|m| !runs.iter().any(|r| r.model.id == m.id))
            .map(|m| (m.id, m.name.clone()))
            .collect()
    });
    let title_id = format!("own-{unit}");
    view! {
        <section class="panel" aria-labelledby=format!("own-{unit}")>
            <h2 id=title_id>{format!("{} — {}", i.pick("Mô hình của trường", "Models of"), school.name)}</h2>
            {if runs.is_empty() {
                view! { <p class="empty-state">{i.pick("Trường chưa đăng ký mô hình nào.", "The school has registered no model yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="report-list">
                        {runs.into_iter().map(|r| view! { <OwnRun r page=page.clone() posted=posted.clone() /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!open.is_empty()).then(|| view! { <RegisterForm unit models=open page=page.clone() posted=posted.clone() /> })}
        </section>
    }
}

/// One of the school's models, with its evidence: a file field of a plain form with its
/// own button until the bundle uploads on picking.
#[component]
fn OwnRun(r: ModelRun, page: String, posted: Option<PagePosted>) -> impl IntoView {
    let i = use_i18n();
    let id = r.id;
    let evidence = RwSignal::new(r.evidence.clone());
    let enhanced = RwSignal::new(false);
    Effect::new(move |_| enhanced.set(true));
    let on_uploaded = Callback::new(move |answer: serde_json::Value| {
        if let Ok(e) = serde_json::from_value::<Evidence>(answer) {
            evidence.set(Some(e));
        }
    });
    let review = review_text(&r, i);
    let problem = PagePosted::of(&posted, &format!("evidence-{id}"));
    view! {
        <li class="report-card">
            <span class="plan-title">{r.model.name.clone()}</span>
            <div class="unit-meta">
                <span>{format!("{} {}", i.pick("Từ", "Since"), day(r.started_on))}</span>
                <span>{format!("{} {}", r.places, i.pick("điểm", "places"))}</span>
                <span class="badge badge-stage">{review}</span>
            </div>
            <form method="post" action=page enctype="multipart/form-data" class="file-slot">
                <input type="hidden" name="form" value="evidence" />
                <input type="hidden" name="run" value=id.to_string() />
                {move || match evidence.get() {
                    Some(e) => evidence_link(id, &e).into_any(),
                    None => view! { <span class="muted">{i.pick("Chưa có minh chứng", "No evidence yet")}</span> }.into_any(),
                }}
                <FilePicker url=evidence_url(id) input_id=format!("evidence-{id}") name="evidence"
                    label=format!("{} {}", i.pick("Minh chứng", "Evidence of"), r.model.name)
                    has_file=Signal::derive(move || evidence.with(Option::is_some)) on_uploaded />
                <button type="submit" class="tool" hidden=move || enhanced.get()>
                    {i.pick("Gửi minh chứng", "Send the evidence")}
                    <span class="visually-hidden">{format!(" — {}", r.model.name)}</span>
                </button>
            </form>
            {problem.map(|p| view! { <ErrorNotice error=p.error /> })}
        </li>
    }
}

#[component]
fn RegisterForm(
    unit: i64,
    models: Vec<(i64, String)>,
    page: String,
    posted: Option<PagePosted>,
) -> impl IntoView {
    let i = use_i18n();
    let prefix = format!("register-{unit}");
    let mine = PagePosted::of(&posted, &prefix);
    let value = |name: &str| mine.as_ref().map(|p| p.field(name));
    let model = value("model").unwrap_or_default();
    view! {
        <form method="post" action=page enctype="multipart/form-data" class="stack" aria-labelledby=format!("{prefix}-title")>
            <input type="hidden" name="form" value="register" />
            <input type="hidden" name="unit" value=unit.to_string() />
            <h3 id=format!("{prefix}-title")>{i.pick("Đăng ký mô hình trường đang triển khai", "Register a model the school runs")}</h3>
            <div class="field">
                <label for=format!("{prefix}-model")>{i.pick("Mô hình", "Model")}</label>
                <select id=format!("{prefix}-model") name="model" required>
                    <option value="">{i.pick("— Chọn mô hình —", "— Choose —")}</option>
                    {models.into_iter().map(|(id, name)| {
                        let id = id.to_string();
                        view! { <option value=id.clone() selected=model == id>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=format!("{prefix}-started")>{i.pick("Ngày bắt đầu", "Started on")}</label>
                <input type="date" id=format!("{prefix}-started") name="started_on" required value=value("started_on") />
            </div>
            <div class="field">
                <label for=format!("{prefix}-places")>{i.pick("Số điểm triển khai", "Places")}</label>
                <input type="number" inputmode="numeric" min="1" max=MAX_PLACES.to_string() id=format!("{prefix}-places")
                    name="places" required value=value("places").unwrap_or_else(|| "1".into()) />
                <p class="hint">{i.pick("Ví dụ: số cổng trường, số điểm trường có mô hình.", "For example the gates or school sites where it runs.")}</p>
            </div>
            <div class="field">
                <label for=format!("{prefix}-note")>{i.pick("Ghi chú", "Note")}</label>
                <textarea id=format!("{prefix}-note") name="note" rows="2" maxlength="2000">{value("note")}</textarea>
            </div>
            {mine.map(|p| view! { <ErrorNotice error=p.error /> })}
            <button type="submit" class="button">
                {i.pick("Đăng ký mô hình", "Register the model")}
            </button>
        </form>
    }
}

/// The runs of the chosen area, each with the year's review for reviewers.
#[component]
fn AreaRuns(
    o: StoredValue<ModelsOverview>,
    page: String,
    posted: Option<PagePosted>,
) -> impl IntoView {
    let i = use_i18n();
    let (year, current_year, may_review) = o.with_value(|o| (o.year, o.current_year, o.may_review));
    let reviewable = may_review && (current_year - 1..=current_year).contains(&year);
    let area_name = o.with_value(|o| {
        o.area
            .and_then(|a| o.areas.iter().find(|x| x.id == a))
            .map(|a| a.name.clone())
            .unwrap_or_default()
    });
    let runs = o.with_value(|o| o.runs.clone());
    view! {
        <section aria-labelledby="runs-title">
            <h2 id="runs-title">{format!("{} {area_name}", i.pick("Mô hình của các trường —", "Models of the schools —"))}</h2>
            {if runs.is_empty() {
                view! { <p class="empty-state">{i.pick("Chưa có trường nào của khu vực đăng ký mô hình.", "No school of the area has registered a model.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="report-list">
                        {runs.into_iter().map(|r| view! { <AreaRun r year reviewable page=page.clone() posted=posted.clone() /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn AreaRun(
    r: ModelRun,
    year: i32,
    reviewable: bool,
    page: String,
    posted: Option<PagePosted>,
) -> impl IntoView {
    let i = use_i18n();
    let id = r.id;
    let mine = PagePosted::of(&posted, &format!("review-{id}"));
    let rating = mine
        .as_ref()
        .and_then(|p| Rating::from_code(&p.field("rating")))
        .or(r.review.as_ref().map(|v| v.rating))
        .unwrap_or(Rating::Good);
    let replicate = match &mine {
        Some(p) => p.fields.contains_key("replicate"),
        None => r.review.as_ref().is_some_and(|v| v.replicate),
    };
    let review = review_text(&r, i);
    let label = format!("{} — {}", r.unit.name, r.model.name);
    view! {
        <li class="report-card">
            <span class="plan-title">{r.unit.name.clone()}</span>
            <div class="unit-meta">
                <span>{r.model.name.clone()}</span>
                <span>{format!("{} {}", i.pick("từ", "since"), day(r.started_on))}</span>
                <span>{format!("{} {}", r.places, i.pick("điểm", "places"))}</span>
                <span class="badge badge-stage">{review}</span>
                {r.evidence.as_ref().map(|e| evidence_link(id, e))}
            </div>
            {reviewable.then(|| view! {
                <form method="post" action=page enctype="multipart/form-data">
                    <input type="hidden" name="form" value="review" />
                    <input type="hidden" name="run" value=id.to_string() />
                    <input type="hidden" name="year" value=year.to_string() />
                    <fieldset class="review-form">
                        <legend class="visually-hidden">{format!("{} {year}: {label}", i.pick("Đánh giá năm", "Review of"))}</legend>
                        <label for=format!("rating-{id}")>{i.pick("Xếp loại", "Rating")}</label>
                        <select id=format!("rating-{id}") name="rating">
                            {Rating::ALL.into_iter().map(|r| view! {
                                <option value=r.code() selected=rating == r>{i.pick(r.label(), r.label_en())}</option>
                            }).collect_view()}
                        </select>
                        <label class="check">
                            <input type="checkbox" name="replicate" value="1" checked=replicate />
                            {i.pick("Chọn nhân rộng", "Mark for replication")}
                        </label>
                        <button type="submit" class="button button-secondary">
                            {i.pick("Lưu đánh giá", "Save the review")}
                            <span class="visually-hidden">{format!(" — {label}")}</span>
                        </button>
                    </fieldset>
                </form>
            })}
            {mine.map(|p| view! { <ErrorNotice error=p.error /> })}
        </li>
    }
}

/// The catalogue, with a form to add a model.
#[component]
fn Catalogue(o: StoredValue<ModelsOverview>, reload: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let add =
        Action::new(move |_: &()| add_model(name.get_untracked(), description.get_untracked()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            name.set(String::new());
            description.set(String::new());
            reload.update(|n| *n += 1);
        }
    });
    view! {
        <section class="panel" aria-labelledby="catalogue-title">
            <h2 id="catalogue-title">{i.pick("Danh mục mô hình", "The catalogue")}</h2>
            <ul class="plain-list">
                {o.with_value(|o| o.catalogue.iter().map(|m| view! {
                    <li><strong>{m.name.clone()}</strong>{(!m.description.is_empty()).then(|| format!(": {}", m.description))}</li>
                }).collect_view())}
            </ul>
            <form class="stack" on:submit=move |ev| { ev.prevent_default(); add.dispatch(()); }>
                <div class="field">
                    <label for="model-name">{i.pick("Tên mô hình mới", "New model's name")}</label>
                    <input id="model-name" required minlength="3" maxlength="200"
                        on:input=move |ev| name.set(event_target_value(&ev)) prop:value=name />
                </div>
                <div class="field">
                    <label for="model-description">{i.pick("Mô tả", "Description")}</label>
                    <textarea id="model-description" rows="2" maxlength="2000"
                        on:input=move |ev| description.set(event_target_value(&ev)) prop:value=description></textarea>
                </div>
                {move || add.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
                <button type="submit" class="button" disabled=move || add.pending().get()>
                    {i.pick("Thêm vào danh mục", "Add to the catalogue")}
                </button>
            </form>
        </section>
    }
}

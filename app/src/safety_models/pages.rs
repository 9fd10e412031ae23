//! The models page: a school registers the models it runs and attaches evidence; reviewers
//! rate each school's model for the year and mark good ones for replication; everyone sees
//! how far each model has spread, by area; the department adds models to the catalogue.

use super::api::{add_model, models_of_year, register_model, review_model};
use super::{evidence_url, Evidence, ModelRun, ModelsOverview, NewRun, Rating, MAX_PLACES};
use crate::components::{file_size, ErrorNotice, FilePicker, Loading, PageTitle, YearSelect};
use crate::i18n::use_i18n;
use crate::nav::{use_navigate, use_query_map};
use crate::org::UnitRef;
use leptos::prelude::*;

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg_attr(feature = "movement", island)]
#[cfg_attr(not(feature = "movement"), component)]
pub fn ModelsPage() -> impl IntoView {
    let i = use_i18n();
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
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(o) => view! { <Overview o reload /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: ModelsOverview, reload: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let navigate = use_navigate();
    let year = o.year;
    let area = o.area;
    let link = move |year: i32, area: Option<i64>| match area {
        Some(a) => format!("/models?year={year}&area={a}"),
        None => format!("/models?year={year}"),
    };
    let own = o.own_schools.clone();
    let totals = o.totals();
    let o = StoredValue::new(o);
    view! {
        <div class="filters">
            <YearSelect id="models-year" year last=o.with_value(|o| o.current_year) link=move |y| link(y, area) />
            {o.with_value(|o| (o.own_schools.is_empty() && o.areas.len() > 1).then(|| {
                let areas = o.areas.clone();
                view! {
                    <div class="field">
                        <label for="models-area">{i.pick("Khu vực", "Area")}</label>
                        <select id="models-area" on:change=move |ev| {
                            navigate(&link(year, event_target_value(&ev).parse().ok()), Default::default());
                        }>
                            {areas.into_iter().map(|a| view! {
                                <option value=a.id.to_string() selected=Some(a.id) == area>{a.name}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }
            }))}
        </div>
        {own.into_iter().map(|school| view! { <OwnSchool school o reload /> }).collect_view()}
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
        {o.with_value(|o| o.own_schools.is_empty()).then(|| view! { <AreaRuns o reload /> })}
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
    reload: RwSignal<u32>,
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
                        {runs.into_iter().map(|r| view! { <OwnRun r /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!open.is_empty()).then(|| view! { <RegisterForm unit models=open reload /> })}
        </section>
    }
}

#[component]
fn OwnRun(r: ModelRun) -> impl IntoView {
    let i = use_i18n();
    let id = r.id;
    let evidence = RwSignal::new(r.evidence.clone());
    let on_uploaded = Callback::new(move |answer: serde_json::Value| {
        if let Ok(e) = serde_json::from_value::<Evidence>(answer) {
            evidence.set(Some(e));
        }
    });
    let review = review_text(&r, i);
    view! {
        <li class="report-card">
            <span class="plan-title">{r.model.name.clone()}</span>
            <div class="unit-meta">
                <span>{format!("{} {}", i.pick("Từ", "Since"), day(r.started_on))}</span>
                <span>{format!("{} {}", r.places, i.pick("điểm", "places"))}</span>
                <span class="badge badge-stage">{review}</span>
            </div>
            <div class="file-slot">
                {move || match evidence.get() {
                    Some(e) => evidence_link(id, &e).into_any(),
                    None => view! { <span class="muted">{i.pick("Chưa có minh chứng", "No evidence yet")}</span> }.into_any(),
                }}
                <FilePicker url=evidence_url(id) input_id=format!("evidence-{id}")
                    label=format!("{} {}", i.pick("Minh chứng", "Evidence of"), r.model.name)
                    has_file=Signal::derive(move || evidence.with(Option::is_some)) on_uploaded />
            </div>
        </li>
    }
}

#[component]
fn RegisterForm(unit: i64, models: Vec<(i64, String)>, reload: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let model = RwSignal::new(String::new());
    let started = RwSignal::new(String::new());
    let places = RwSignal::new("1".to_string());
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let register = Action::new(move |run: &NewRun| register_model(run.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = register.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let Ok(model) = model.get().parse::<i64>() else {
            problem.set(Some(i.pick("Hãy chọn mô hình.", "Choose a model.").into()));
            return;
        };
        let Ok(started_on) = chrono::NaiveDate::parse_from_str(&started.get(), "%Y-%m-%d") else {
            problem.set(Some(
                i.pick("Hãy nhập ngày bắt đầu.", "Enter the start date.")
                    .into(),
            ));
            return;
        };
        let Ok(places) = places.get().trim().parse::<i64>() else {
            problem.set(Some(format!(
                "{} 1–{MAX_PLACES}.",
                i.pick("Số điểm triển khai là số từ", "Places is a number from")
            )));
            return;
        };
        register.dispatch(NewRun {
            model,
            unit,
            started_on,
            places,
            note: note.get(),
        });
    };
    let prefix = format!("register-{unit}");
    view! {
        <form class="stack" on:submit=submit aria-labelledby=format!("{prefix}-title")>
            <h3 id=format!("{prefix}-title")>{i.pick("Đăng ký mô hình trường đang triển khai", "Register a model the school runs")}</h3>
            <div class="field">
                <label for=format!("{prefix}-model")>{i.pick("Mô hình", "Model")}</label>
                <select id=format!("{prefix}-model") required on:change=move |ev| model.set(event_target_value(&ev))>
                    <option value="">{i.pick("— Chọn mô hình —", "— Choose —")}</option>
                    {models.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=format!("{prefix}-started")>{i.pick("Ngày bắt đầu", "Started on")}</label>
                <input type="date" id=format!("{prefix}-started") required
                    on:input=move |ev| started.set(event_target_value(&ev)) prop:value=started />
            </div>
            <div class="field">
                <label for=format!("{prefix}-places")>{i.pick("Số điểm triển khai", "Places")}</label>
                <input type="number" inputmode="numeric" min="1" max=MAX_PLACES.to_string() id=format!("{prefix}-places") required
                    on:input=move |ev| places.set(event_target_value(&ev)) prop:value=places />
                <p class="hint">{i.pick("Ví dụ: số cổng trường, số điểm trường có mô hình.", "For example the gates or school sites where it runs.")}</p>
            </div>
            <div class="field">
                <label for=format!("{prefix}-note")>{i.pick("Ghi chú", "Note")}</label>
                <textarea id=format!("{prefix}-note") rows="2" maxlength="2000"
                    on:input=move |ev| note.set(event_target_value(&ev)) prop:value=note></textarea>
            </div>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            {move || register.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
            <button type="submit" class="button" disabled=move || register.pending().get()>
                {i.pick("Đăng ký mô hình", "Register the model")}
            </button>
        </form>
    }
}

/// The runs of the chosen area, each with the year's review for reviewers.
#[component]
fn AreaRuns(o: StoredValue<ModelsOverview>, reload: RwSignal<u32>) -> impl IntoView {
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
                        {runs.into_iter().map(|r| view! { <AreaRun r year reviewable reload /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn AreaRun(r: ModelRun, year: i32, reviewable: bool, reload: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let id = r.id;
    let rating = RwSignal::new(r.review.as_ref().map(|v| v.rating).unwrap_or(Rating::Good));
    let replicate = RwSignal::new(r.review.as_ref().is_some_and(|v| v.replicate));
    let save = Action::new(move |_: &()| {
        review_model(
            id,
            year,
            rating.get_untracked(),
            replicate.get_untracked(),
            String::new(),
        )
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            reload.update(|n| *n += 1);
        }
    });
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
                <fieldset class="review-form">
                    <legend class="visually-hidden">{format!("{} {year}: {label}", i.pick("Đánh giá năm", "Review of"))}</legend>
                    <label for=format!("rating-{id}")>{i.pick("Xếp loại", "Rating")}</label>
                    <select id=format!("rating-{id}") on:change=move |ev| {
                        if let Some(r) = Rating::from_code(&event_target_value(&ev)) { rating.set(r) }
                    }>
                        {Rating::ALL.into_iter().map(|r| view! {
                            <option value=r.code() selected=move || rating.get() == r>{i.pick(r.label(), r.label_en())}</option>
                        }).collect_view()}
                    </select>
                    <label class="check">
                        <input type="checkbox" prop:checked=replicate on:change=move |ev| replicate.set(event_target_checked(&ev)) />
                        {i.pick("Chọn nhân rộng", "Mark for replication")}
                    </label>
                    <button type="button" class="button button-secondary" disabled=move || save.pending().get()
                        on:click=move |_| { save.dispatch(()); }>
                        {i.pick("Lưu đánh giá", "Save the review")}
                        <span class="visually-hidden">{format!(" — {label}")}</span>
                    </button>
                </fieldset>
            })}
            {move || save.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
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

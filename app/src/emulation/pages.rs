//! The emulation page: a school registers titles and sends them for approval, and nominates
//! collectives and people for awards; the department approves or rejects registrations and
//! records award decisions; everyone sees the year's registrations and awards in their part
//! of the tree.

use super::api::{decide_awards, emulation_of_year, judge_registration};
use super::{
    page_url, EmulationOverview, NewAwardDecision, Nomination, NomineeKind, Registration,
    RegistrationStatus,
};
use crate::components::{ErrorNotice, Loading, PagePosted, PageTitle, YearSelect};
use crate::i18n::use_i18n;
use crate::nav::use_query_map;
use crate::org::UnitRef;
use leptos::prelude::*;

fn status_badge(s: RegistrationStatus) -> impl IntoView {
    let i = use_i18n();
    let class = match s {
        RegistrationStatus::Approved => "badge badge-ok",
        RegistrationStatus::Rejected => "badge badge-warn",
        _ => "badge badge-stage",
    };
    view! { <span class=class>{i.pick(s.label(), s.label_en())}</span> }
}

fn decision_text(n: &Nomination) -> Option<String> {
    n.decision
        .as_ref()
        .map(|d| format!("QĐ số {} ngày {}", d.number, d.signed_on.format("%d/%m/%Y")))
}

/// The page. Its school forms are plain forms posting to the page's own address; one the
/// server refused comes back as a [`PagePosted`] with what was typed.
#[component]
pub fn EmulationPage() -> impl IntoView {
    let posted = use_context::<PagePosted>();
    view! { <EmulationView posted /> }
}

#[cfg_attr(feature = "movement", island)]
#[cfg_attr(not(feature = "movement"), component)]
fn EmulationView(posted: Option<PagePosted>) -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let year = move || query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    let done = query
        .with_untracked(|q| q.get("done"))
        .filter(|_| posted.is_none());
    let reload = RwSignal::new(0u32);
    let overview = Resource::new(
        move || (year(), reload.get()),
        |(y, _)| emulation_of_year(y),
    );
    let posted = StoredValue::new(posted);
    view! {
        <PageTitle text=i.pick("Thi đua, khen thưởng", "Emulation and awards") />
        <h1>{i.pick("Thi đua, khen thưởng", "Emulation and awards")}</h1>
        {done.map(|d| view! {
            <p class="notice notice-ok" role="status" data-testid="emulation-done">{match d.as_str() {
                "send" => i.pick("Đã gửi đăng ký để duyệt.", "The registration was sent for approval."),
                "nominate" => i.pick("Đã gửi đề nghị khen thưởng.", "The nomination was sent."),
                _ => i.pick("Đã lưu đăng ký.", "The registration was saved."),
            }}</p>
        })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(o) => view! { <Year o reload posted=posted.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Year(o: EmulationOverview, reload: RwSignal<u32>, posted: Option<PagePosted>) -> impl IntoView {
    let i = use_i18n();
    let (year, last) = (o.year, o.current_year + 1);
    let pending: Vec<Registration> = o
        .registrations
        .iter()
        .filter(|r| r.status == RegistrationStatus::Pending)
        .cloned()
        .collect();
    let counts: Vec<(RegistrationStatus, usize)> = RegistrationStatus::ALL
        .into_iter()
        .map(|s| (s, o.registrations.iter().filter(|r| r.status == s).count()))
        .collect();
    let awarded: Vec<Nomination> = o
        .nominations
        .iter()
        .filter(|n| n.decision.is_some())
        .cloned()
        .collect();
    let o = StoredValue::new(o);
    view! {
        <YearSelect id="emulation-year" year last action="/emulation" />
        {o.with_value(|o| o.own_schools.clone()).into_iter().map(|school| view! { <OwnSchool school o posted=posted.clone() /> }).collect_view()}
        {o.with_value(|o| o.may_decide).then(|| view! {
            <Pending list=pending reload />
            <Decide o reload />
        })}
        <section aria-labelledby="year-title">
            <h2 id="year-title">{format!("{} {year}", i.pick("Đăng ký thi đua năm", "Registrations of"))}</h2>
            <ul class="stats">
                {counts.into_iter().map(|(s, n)| view! {
                    <li class="stat">
                        <span class="stat-value">{n}</span>
                        <span class="stat-label">{i.pick(s.label(), s.label_en())}</span>
                    </li>
                }).collect_view()}
            </ul>
            <h2>{format!("{} {year}", i.pick("Khen thưởng năm", "Awards of"))}</h2>
            {if awarded.is_empty() {
                view! { <p class="empty-state">{i.pick("Chưa có quyết định khen thưởng nào trong năm.", "No award decision this year yet.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label=i.pick("Danh sách được khen thưởng", "Awarded")>
                        <table class="data-table">
                            <thead><tr>
                                <th scope="col">{i.pick("Tập thể, cá nhân", "Nominee")}</th>
                                <th scope="col">{i.pick("Đơn vị", "Unit")}</th>
                                <th scope="col">{i.pick("Hình thức", "Award")}</th>
                                <th scope="col">{i.pick("Quyết định", "Decision")}</th>
                            </tr></thead>
                            <tbody>
                                {awarded.into_iter().map(|n| {
                                    let decision = decision_text(&n);
                                    view! {
                                        <tr>
                                            <td>{n.nominee.clone()}</td>
                                            <td>{n.unit.name.clone()}</td>
                                            <td>{n.form.name.clone()}</td>
                                            <td>{decision}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// A school's own registrations and nominations, with the forms to add them.
#[component]
fn OwnSchool(
    school: UnitRef,
    o: StoredValue<EmulationOverview>,
    posted: Option<PagePosted>,
) -> impl IntoView {
    let i = use_i18n();
    let unit = school.id;
    let (year, current_year) = o.with_value(|o| (o.year, o.current_year));
    let registrations: Vec<Registration> = o.with_value(|o| {
        o.registrations
            .iter()
            .filter(|r| r.unit.id == unit)
            .cloned()
            .collect()
    });
    let nominations: Vec<Nomination> = o.with_value(|o| {
        o.nominations
            .iter()
            .filter(|n| n.unit.id == unit)
            .cloned()
            .collect()
    });
    let may_register = (0..=1).contains(&(year - current_year));
    let may_nominate = (-1..=0).contains(&(year - current_year));
    view! {
        <section class="panel" aria-labelledby=format!("reg-{unit}")>
            <h2 id=format!("reg-{unit}")>{format!("{} {year} — {}", i.pick("Đăng ký thi đua năm", "Emulation registrations of"), school.name)}</h2>
            {if registrations.is_empty() {
                view! { <p class="empty-state">{i.pick("Chưa đăng ký danh hiệu nào cho năm này.", "No title registered for this year.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="report-list">
                        {registrations.into_iter().map(|r| {
                            let id = r.id;
                            let who = if r.position.is_empty() { r.nominee.clone() } else { format!("{} ({})", r.nominee, r.position) };
                            view! {
                                <li class="report-card">
                                    <span class="plan-title">{r.title.clone()}</span>
                                    <div class="unit-meta">
                                        <span>{who}</span>
                                        {status_badge(r.status)}
                                    </div>
                                    {(r.status == RegistrationStatus::Rejected).then(|| view! {
                                        <p class="notice notice-warn">{format!("{} {}", i.pick("Lý do:", "Reason:"), r.reason)}</p>
                                    })}
                                    {r.status.sendable().then(|| view! {
                                        <form method="post" action=page_url(year) class="inline-form">
                                            <input type="hidden" name="form" value="send" />
                                            <input type="hidden" name="id" value=id.to_string() />
                                            <button type="submit" class="button button-secondary">
                                                {i.pick("Gửi duyệt", "Send for approval")}
                                                <span class="visually-hidden">{format!(" — {}", r.title)}</span>
                                            </button>
                                        </form>
                                    })}
                                    {PagePosted::of(&posted, &format!("send-{id}")).map(|p| view! { <ErrorNotice error=p.error /> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {may_register.then(|| view! { <RegisterForm unit school_name=school.name.clone() year posted=posted.clone() /> })}
        </section>
        <section class="panel" aria-labelledby=format!("nom-{unit}")>
            <h2 id=format!("nom-{unit}")>{format!("{} {year}", i.pick("Đề nghị khen thưởng năm", "Award nominations of"))}</h2>
            {if nominations.is_empty() {
                view! { <p class="empty-state">{i.pick("Chưa có đề nghị khen thưởng nào.", "No nomination yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="report-list">
                        {nominations.into_iter().map(|n| {
                            let decision = decision_text(&n);
                            view! {
                                <li class="report-card">
                                    <span class="plan-title">{n.form.name.clone()}</span>
                                    <div class="unit-meta">
                                        <span>{n.nominee.clone()}</span>
                                        {match decision {
                                            Some(d) => view! { <span class="badge badge-ok">{d}</span> }.into_any(),
                                            None => view! { <span class="badge badge-stage">{i.pick("Chờ quyết định", "Awaiting a decision")}</span> }.into_any(),
                                        }}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {may_nominate.then(|| view! { <NominateForm unit year o posted=posted.clone() /> })}
        </section>
    }
}

/// Who: collective or individual, the name, and a person's position (named `kind`,
/// `nominee`, `position`). Without the bundle every field shows; with it the position shows
/// for a person only.
#[component]
fn NomineeFields(
    prefix: String,
    kind: NomineeKind,
    nominee: String,
    position: String,
) -> impl IntoView {
    let i = use_i18n();
    let kind = RwSignal::new(kind);
    let enhanced = RwSignal::new(false);
    Effect::new(move |_| enhanced.set(true));
    view! {
        <div class="field">
            <label for=format!("{prefix}-kind")>{i.pick("Đối tượng", "For")}</label>
            <select id=format!("{prefix}-kind") name="kind" on:change=move |ev| {
                if let Some(k) = NomineeKind::from_code(&event_target_value(&ev)) { kind.set(k) }
            }>
                {[NomineeKind::Collective, NomineeKind::Individual].into_iter().map(|k| view! {
                    <option value=k.code() selected=kind.get_untracked() == k>{i.pick(k.label(), k.label_en())}</option>
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=format!("{prefix}-nominee")>{move || match (enhanced.get(), kind.get()) {
                (false, _) => i.pick("Tên tập thể hoặc họ và tên", "Collective's or person's name"),
                (true, NomineeKind::Collective) => i.pick("Tên tập thể", "Collective's name"),
                (true, NomineeKind::Individual) => i.pick("Họ và tên", "Full name"),
            }}</label>
            <input id=format!("{prefix}-nominee") name="nominee" required maxlength="200" value=nominee />
        </div>
        <div class="field" hidden=move || enhanced.get() && kind.get() != NomineeKind::Individual>
            <label for=format!("{prefix}-position")>{i.pick("Chức vụ (với cá nhân)", "Position (of a person)")}</label>
            <input id=format!("{prefix}-position") name="position" maxlength="200" value=position />
        </div>
    }
}

/// The hidden fields naming a school's form: which form, the school, the year.
fn form_head(form: &'static str, unit: i64, year: i32) -> impl IntoView {
    view! {
        <input type="hidden" name="form" value=form />
        <input type="hidden" name="unit" value=unit.to_string() />
        <input type="hidden" name="year" value=year.to_string() />
    }
}

#[component]
fn RegisterForm(
    unit: i64,
    school_name: String,
    year: i32,
    posted: Option<PagePosted>,
) -> impl IntoView {
    let i = use_i18n();
    let prefix = format!("register-{unit}");
    let mine = PagePosted::of(&posted, &prefix);
    let value = |name: &str| mine.as_ref().map(|p| p.field(name));
    let kind = value("kind")
        .and_then(|k| NomineeKind::from_code(&k))
        .unwrap_or(NomineeKind::Collective);
    let title = value("title").unwrap_or_default();
    view! {
        <form method="post" action=page_url(year) class="stack" aria-labelledby=format!("{prefix}-title")>
            {form_head("register", unit, year)}
            <h3 id=format!("{prefix}-title")>{i.pick("Đăng ký danh hiệu", "Register a title")}</h3>
            <NomineeFields prefix=prefix.clone() kind
                nominee=value("nominee").unwrap_or(school_name) position=value("position").unwrap_or_default() />
            <div class="field">
                <label for=format!("{prefix}-name")>{i.pick("Danh hiệu", "Title")}</label>
                <select id=format!("{prefix}-name") name="title">
                    {[NomineeKind::Collective, NomineeKind::Individual].into_iter().map(|k| view! {
                        <optgroup label=i.pick(k.label(), k.label_en())>
                            {k.titles().iter().map(|t| view! { <option value=*t selected=title == *t>{*t}</option> }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </div>
            {mine.map(|p| view! { <ErrorNotice error=p.error /> })}
            <button type="submit" class="button">
                {i.pick("Lưu đăng ký", "Save the registration")}
            </button>
        </form>
    }
}

#[component]
fn NominateForm(
    unit: i64,
    year: i32,
    o: StoredValue<EmulationOverview>,
    posted: Option<PagePosted>,
) -> impl IntoView {
    let i = use_i18n();
    let prefix = format!("nominate-{unit}");
    let mine = PagePosted::of(&posted, &prefix);
    let value = |name: &str| mine.as_ref().map(|p| p.field(name)).unwrap_or_default();
    let kind = NomineeKind::from_code(&value("kind")).unwrap_or(NomineeKind::Individual);
    let award = value("award");
    view! {
        <form method="post" action=page_url(year) class="stack" aria-labelledby=format!("{prefix}-title")>
            {form_head("nominate", unit, year)}
            <h3 id=format!("{prefix}-title")>{i.pick("Đề nghị khen thưởng", "Nominate for an award")}</h3>
            <NomineeFields prefix=prefix.clone() kind nominee=value("nominee") position=value("position") />
            <div class="field">
                <label for=format!("{prefix}-form")>{i.pick("Hình thức khen thưởng", "Award")}</label>
                <select id=format!("{prefix}-form") name="award">
                    {o.with_value(|o| o.forms.iter().map(|f| {
                        let id = f.id.to_string();
                        view! { <option value=id.clone() selected=award == id>{f.name.clone()}</option> }
                    }).collect_view())}
                </select>
            </div>
            <div class="field">
                <label for=format!("{prefix}-achievements")>{i.pick("Thành tích", "Achievements")}</label>
                <textarea id=format!("{prefix}-achievements") name="achievements" rows="4" required maxlength="4000">{value("achievements")}</textarea>
            </div>
            {mine.map(|p| view! { <ErrorNotice error=p.error /> })}
            <button type="submit" class="button">
                {i.pick("Gửi đề nghị", "Send the nomination")}
            </button>
        </form>
    }
}

/// Registrations awaiting the department's approval.
#[component]
fn Pending(list: Vec<Registration>, reload: RwSignal<u32>) -> impl IntoView {
    const PAGE: usize = 20;
    let i = use_i18n();
    let shown = RwSignal::new(PAGE);
    let judge = Action::new(move |(id, approve, reason): &(i64, bool, String)| {
        judge_registration(*id, *approve, reason.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = judge.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    view! {
        <section class="panel" aria-labelledby="pending-title">
            <h2 id="pending-title">{i.pick("Đăng ký chờ duyệt", "Awaiting approval")}</h2>
            {move || judge.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
            {if list.is_empty() {
                view! { <p class="empty-state">{i.pick("Không có đăng ký nào chờ duyệt.", "Nothing awaits approval.")}</p> }.into_any()
            } else {
                let total = list.len();
                let list = StoredValue::new(list);
                view! {
                    <p class="as-of">{format!("{total} {}", i.pick("đăng ký chờ duyệt, cũ nhất trước.", "registrations await approval, oldest first."))}</p>
                    <ul class="report-list">
                        {move || list.get_value().into_iter().take(shown.get()).map(|r| {
                            let id = r.id;
                            let reason = RwSignal::new(String::new());
                            let what = format!("{} — {}", r.title, r.nominee);
                            view! {
                                <li class="report-card">
                                    <span class="plan-title">{r.title.clone()}</span>
                                    <div class="unit-meta">
                                        <span>{r.nominee.clone()}</span>
                                        <span>{r.unit.name.clone()}</span>
                                    </div>
                                    <div class="field">
                                        <label for=format!("reason-{id}")>{i.pick("Lý do (khi từ chối)", "Reason (to reject)")}</label>
                                        <input id=format!("reason-{id}") maxlength="2000"
                                            on:input=move |ev| reason.set(event_target_value(&ev)) prop:value=reason />
                                    </div>
                                    <div class="actions">
                                        <button type="button" class="button" disabled=move || judge.pending().get()
                                            on:click=move |_| { judge.dispatch((id, true, String::new())); }>
                                            {i.pick("Duyệt", "Approve")}<span class="visually-hidden">{format!(" — {what}")}</span>
                                        </button>
                                        <button type="button" class="button button-secondary" disabled=move || judge.pending().get()
                                            on:click=move |_| { judge.dispatch((id, false, reason.get())); }>
                                            {i.pick("Từ chối", "Reject")}
                                        </button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {move || (shown.get() < total).then(|| view! {
                        <button type="button" class="button button-secondary" on:click=move |_| shown.update(|n| *n += PAGE)>
                            {move || format!("{} ({})", i.pick("Xem thêm", "Show more"), total - shown.get())}
                        </button>
                    })}
                }.into_any()
            }}
        </section>
    }
}

/// The department records a decision over the nominations of one award form.
#[component]
fn Decide(o: StoredValue<EmulationOverview>, reload: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let year = o.with_value(|o| o.year);
    let form = RwSignal::new(o.with_value(|o| o.forms.first().map(|f| f.id).unwrap_or_default()));
    let chosen = RwSignal::new(Vec::<i64>::new());
    let number = RwSignal::new(String::new());
    let signed_on = RwSignal::new(String::new());
    let signer = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let decide = Action::new(move |d: &NewAwardDecision| decide_awards(d.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = decide.value().get() {
            chosen.set(Vec::new());
            reload.update(|n| *n += 1);
        }
    });
    let open = move || {
        o.with_value(|o| {
            o.nominations
                .iter()
                .filter(|n| n.decision.is_none() && n.form.id == form.get())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="panel" aria-labelledby="decide-title">
            <h2 id="decide-title">{format!("{} {year}", i.pick("Quyết định khen thưởng năm", "Award decision of"))}</h2>
            <form class="stack" on:submit=move |ev| {
                ev.prevent_default();
                problem.set(None);
                let Ok(day) = chrono::NaiveDate::parse_from_str(&signed_on.get(), "%Y-%m-%d") else {
                    problem.set(Some(i.pick("Hãy nhập ngày ký.", "Enter the date signed.").into()));
                    return;
                };
                decide.dispatch(NewAwardDecision {
                    year, form: form.get(), number: number.get(), signed_on: day, signer: signer.get(),
                    nominations: chosen.get(),
                });
            }>
                <div class="field">
                    <label for="decide-form">{i.pick("Hình thức khen thưởng", "Award")}</label>
                    <select id="decide-form" on:change=move |ev| {
                        form.set(event_target_value(&ev).parse().unwrap_or_default());
                        chosen.set(Vec::new());
                    }>
                        {o.with_value(|o| o.forms.iter().map(|f| view! { <option value=f.id.to_string()>{f.name.clone()}</option> }).collect_view())}
                    </select>
                </div>
                <fieldset>
                    <legend>{i.pick("Đề nghị được khen thưởng", "Nominations awarded")}</legend>
                    {move || {
                        let list = open();
                        if list.is_empty() {
                            view! { <p class="empty-state">{i.pick("Không có đề nghị nào chờ quyết định cho hình thức này.", "No nomination awaits a decision for this award.")}</p> }.into_any()
                        } else {
                            let all: Vec<i64> = list.iter().map(|n| n.id).collect();
                            let count = all.len();
                            view! {
                                <button type="button" class="button button-secondary" on:click=move |_| chosen.set(all.clone())>
                                    {format!("{} ({count})", i.pick("Chọn tất cả", "Choose all"))}
                                </button>
                                <p class="as-of" aria-live="polite">{move || format!("{} {}", chosen.with(Vec::len), i.pick("đề nghị đã chọn", "chosen"))}</p>
                                <div class="check-list" tabindex="0" role="group" aria-label=i.pick("Các đề nghị chờ quyết định", "Nominations awaiting a decision")>
                            {list.into_iter().map(|n| {
                                let id = n.id;
                                view! {
                                    <label class="check">
                                        <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id) } });
                                            } />
                                        {format!("{} — {}", n.nominee, n.unit.name)}
                                    </label>
                                }
                            }).collect_view()}
                                </div>
                            }.into_any()
                        }
                    }}
                </fieldset>
                <div class="field">
                    <label for="decide-number">{i.pick("Số quyết định", "Number")}</label>
                    <input id="decide-number" required maxlength="50" placeholder="123/QĐ-SGDĐT"
                        on:input=move |ev| number.set(event_target_value(&ev)) prop:value=number />
                </div>
                <div class="field">
                    <label for="decide-date">{i.pick("Ngày ký", "Signed on")}</label>
                    <input id="decide-date" type="date" required
                        on:input=move |ev| signed_on.set(event_target_value(&ev)) prop:value=signed_on />
                </div>
                <div class="field">
                    <label for="decide-signer">{i.pick("Người ký", "Signed by")}</label>
                    <input id="decide-signer" required maxlength="200"
                        on:input=move |ev| signer.set(event_target_value(&ev)) prop:value=signer />
                </div>
                {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
                {move || decide.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
                <button type="submit" class="button" disabled=move || decide.pending().get()>
                    {i.pick("Ghi quyết định khen thưởng", "Record the decision")}
                </button>
            </form>
        </section>
    }
}

//! My citizens: the ones I may see, searchable by name.

use leptos::prelude::*;
use shared::Lang;
use shared::citizen::Citizen;

use crate::data::use_data;
use crate::i18n::{tr, use_lang};

/// Citizens whose name contains every word of `query`, ignoring case.
pub fn filter<'a>(citizens: &'a [Citizen], query: &str) -> Vec<&'a Citizen> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    citizens
        .iter()
        .filter(|c| {
            let name = c.name.as_str().to_lowercase();
            words.iter().all(|w| name.contains(w.as_str()))
        })
        .collect()
}

fn count_text(lang: Lang, shown: usize, total: usize) -> String {
    match (lang, shown == total) {
        (Lang::Da, true) => format!("{total} borgere"),
        (Lang::En, true) => format!("{total} citizens"),
        (Lang::Da, false) => format!("{shown} af {total} borgere"),
        (Lang::En, false) => format!("{shown} of {total} citizens"),
    }
}

fn current_year() -> i32 {
    js_sys::Date::new_0().get_full_year() as i32
}

#[component]
pub fn CitizensPage() -> impl IntoView {
    let lang = use_lang();
    let data = use_data();
    let query = RwSignal::new(String::new());

    // From the phone's own database: works the same with no network.
    let list = move || {
        let view = data.view.get()?;
        if view.synced_at.is_none() && view.citizens.is_empty() {
            // The first download after login has not landed yet.
            return None;
        }
        let all = view.citizens;
        let q = query.get();
        let shown: Vec<Citizen> = filter(&all, &q).into_iter().cloned().collect();
        let lang = lang.get();
        let year = current_year();
        let empty = shown.is_empty();
        Some(view! {
            <Show when=move || empty>
                <p class="citizen-list__empty">
                    {if all.is_empty() {
                        tr("Du har ingen borgere tilknyttet endnu.", "No citizens are assigned to you yet.")()
                    } else {
                        tr("Ingen borgere matcher søgningen.", "No citizens match the search.")()
                    }}
                </p>
            </Show>
            <ul class="citizen-list__items" data-testid="citizen-list">
                {shown
                    .into_iter()
                    .map(|c| {
                        let age = c.birth_year.age_in(year);
                        let age = match lang {
                            Lang::Da => format!("{age} år"),
                            Lang::En => format!("age {age}"),
                        };
                        view! {
                            <li data-testid="citizen">
                                <a class="citizen-card" href=format!("/citizens/{}", c.id)>
                                    <span class="citizen-card__name">{c.name.to_string()}</span>
                                    <span class="citizen-card__meta">{age}" · "{c.benefit_type.label(lang)}</span>
                                    <span class="citizen-card__group">{c.layer_label(lang).to_owned()}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        })
    };

    // The count is a live region that stays in place while the list is
    // drawn again (every sync refreshes the view): it speaks when its words
    // change (a search, a new citizen), not once a minute.
    let count = Memo::new(move |_| {
        let lang = lang.get();
        match data.view.get() {
            Some(view) if view.synced_at.is_some() || !view.citizens.is_empty() => {
                count_text(lang, filter(&view.citizens, &query.get()).len(), view.citizens.len())
            }
            _ if lang == Lang::Da => "Henter dine borgere …".to_owned(),
            _ => "Fetching your citizens …".to_owned(),
        }
    });

    view! {
        <section class="citizen-list" aria-labelledby="citizens-title">
            <div class="citizen-list__head">
                <h1 class="citizen-list__title" id="citizens-title">{tr("Mine borgere", "My citizens")}</h1>
                // The catalogue is reference for every citizen: at the top,
                // not under a long list (issue 15's walk).
                <span class="citizen-list__links">
                    <a class="citizen-list__offers" href="/offers" data-testid="to-offers">{tr("Kommunens tilbud", "The municipality's offers")}</a>
                    <a class="citizen-list__offers" href="/forum" data-testid="to-forum">{tr("Sparringsforum", "Sparring forum")}</a>
                </span>
            </div>
            <div class="field citizen-list__search">
                <label class="field__label" for="citizen-search">{tr("Søg efter navn", "Search by name")}</label>
                <input class="field__input" id="citizen-search" type="search" autocomplete="off" bind:value=query/>
            </div>
            <p class="citizen-list__count" role="status" data-testid="citizen-count">{count}</p>
            {move || list()}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::CitizenId;
    use shared::citizen::{BenefitType, BirthYear};

    fn citizen(n: u128, name: &str) -> Citizen {
        Citizen {
            id: CitizenId::from_uuid(uuid::Uuid::from_u128(n)),
            name: name.try_into().expect("valid"),
            birth_year: BirthYear::try_from(1990).expect("valid"),
            layer: None,
            benefit_type: BenefitType::CashBenefit,
            coordinator_id: None,
            coordinator_name: None,
        }
    }

    #[test]
    fn search_matches_every_word_ignoring_case() {
        let all = [citizen(1, "Mette Nielsen"), citizen(2, "Søren Østergaard"), citizen(3, "Lars Mette")];
        let names = |q: &str| filter(&all, q).iter().map(|c| c.name.to_string()).collect::<Vec<_>>();
        assert_eq!(names(""), ["Mette Nielsen", "Søren Østergaard", "Lars Mette"]);
        assert_eq!(names("mette"), ["Mette Nielsen", "Lars Mette"]);
        assert_eq!(names("METTE niel"), ["Mette Nielsen"]);
        assert_eq!(names("øster"), ["Søren Østergaard"]);
        assert!(names("xyz").is_empty());
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(count_text(Lang::Da, 3, 3), "3 borgere");
        assert_eq!(count_text(Lang::En, 1, 3), "1 of 3 citizens");
    }
}

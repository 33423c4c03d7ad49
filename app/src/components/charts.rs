//! Small SVG charts for the lead's view: a used-against-available bar and a
//! pool's burn-down with its forecast. Each is an image with a text label
//! that says the same numbers, for screen readers.

use leptos::prelude::*;
use shared::Minutes;
use shared::usage::Level;

pub fn level_code(level: Level) -> &'static str {
    match level {
        Level::Ok => "ok",
        Level::Warning => "warning",
        Level::Exhausted => "exhausted",
    }
}

/// Used against available, with a mark at 80 %.
#[component]
pub fn UsageBar(used: i64, available: i64, level: Level, label: String) -> impl IntoView {
    let pct = match available {
        a if a > 0 => (used * 100 / a).clamp(0, 100),
        _ if used > 0 => 100,
        _ => 0,
    };
    view! {
        <svg class="usage-bar" data-level=level_code(level) viewBox="0 0 100 10" preserveAspectRatio="none"
            role="img" aria-label=label>
            <rect class="usage-bar__track" x="0" y="0" width="100" height="10" rx="2"/>
            <rect class="usage-bar__fill" x="0" y="0" width=pct.to_string() height="10" rx="2"/>
            <line class="usage-bar__mark" x1="80" x2="80" y1="0" y2="10"/>
        </svg>
    }
}

const W: f64 = 320.0;
const H: f64 = 140.0;
const PAD: f64 = 8.0;

/// A pool's remaining minutes day by day (`daily` is the cumulative use at
/// each day's end), the even burn from the allowance to zero, and the
/// forecast from today to the period's end. `elapsed` is how many days of
/// the period have passed (all of them when it is over).
#[component]
pub fn BurnDown(
    available: i64,
    daily: Vec<Minutes>,
    forecast: Minutes,
    elapsed: usize,
    label: String,
) -> impl IntoView {
    let n = daily.len().max(2);
    let remaining: Vec<i64> = daily.iter().map(|m| available - i64::from(m.get())).collect();
    let end_forecast = available - i64::from(forecast.get());
    let top = available.max(0).max(remaining.iter().copied().max().unwrap_or(0)).max(1);
    let bottom = remaining.iter().copied().min().unwrap_or(0).min(end_forecast).min(0);
    let x = |i: usize| PAD + (W - 2.0 * PAD) * i as f64 / (n - 1) as f64;
    let y = |v: i64| PAD + (H - 2.0 * PAD) * (top - v) as f64 / (top - bottom).max(1) as f64;
    let shown = elapsed.min(remaining.len());
    let actual: String =
        remaining.iter().take(shown).enumerate().map(|(i, r)| format!("{:.1},{:.1} ", x(i), y(*r))).collect();
    let (fx, fy) = match shown {
        0 => (x(0), y(available)),
        s => (x(s - 1), y(remaining[s - 1])),
    };
    let forecast_line =
        (shown < remaining.len()).then(|| format!("{fx:.1},{fy:.1} {:.1},{:.1}", x(n - 1), y(end_forecast)));
    view! {
        <svg class="burn-down" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label>
            <line class="burn-down__zero" x1=PAD x2=W - PAD y1=y(0) y2=y(0)/>
            <line class="burn-down__even" x1=x(0) y1=y(available) x2=x(n - 1) y2=y(0)/>
            <polyline class="burn-down__actual" points=actual/>
            {forecast_line.map(|points| view! { <polyline class="burn-down__forecast" points=points/> })}
        </svg>
    }
}

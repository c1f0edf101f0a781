//! What the HTML and SVG outputs share: escaping, and the colours a bus
//! or a weekday takes on the report's calendar and on the maps.

/// Text made safe inside an element or a quoted attribute.
pub(crate) fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Colours of buses or weekdays (Okabe–Ito, without the yellow that
/// vanishes on a light ground): told apart with colour blindness.
const COLOURS: [&str; 7] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000",
];

/// The colour of bus (or weekday) `key`.
pub(crate) fn colour(key: usize) -> &'static str {
    COLOURS[key % COLOURS.len()]
}

//! Text structure shared by the readers: paragraphs, sentences, quotations, name normalising.

/// A source name reduced for matching: lowercase, leading articles dropped, punctuation and
/// runs of spaces folded ("The  Russian military" → "russian military").
pub fn normalize_name(s: &str) -> String {
    let lower: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' })
        .collect();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let skip = words.iter().take_while(|w| matches!(**w, "the" | "a" | "an")).count();
    words[skip..].join(" ")
}

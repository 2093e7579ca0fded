//! Tokens: words, numbers and punctuation with their byte spans.

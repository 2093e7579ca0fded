//! Word lists: number words, qualifiers, counted nouns and the words that make a number no figure.

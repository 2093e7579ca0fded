//! Source cues: the words that say who a figure comes from.

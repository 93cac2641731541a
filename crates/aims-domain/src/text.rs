//! Text as people read it in narrow places: table cells of the CLI, axis labels of the heat maps.

/// `s` broken between words into lines of at most `max` characters; a longer word keeps a line of its own, and
/// line breaks in `s` count as spaces. Nothing is cut.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= max => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_break_between_words_and_long_words_stay_whole() {
        assert_eq!(super::wrap("1 Almost certain", 10), ["1 Almost", "certain"]);
        assert_eq!(super::wrap("a\nb", 10), ["a b"]);
        assert_eq!(
            super::wrap("unbreakableword x", 5),
            ["unbreakableword", "x"]
        );
        assert!(super::wrap("  ", 5).is_empty());
    }
}

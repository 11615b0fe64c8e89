//! How the widget looks: `showPicker`, `height` and `colorScheme`.
use crate::error::ConfigError;

use super::options::Options;
use super::{ColorScheme, RawValue};

/// `showPicker`: a boolean, `true` unless given.
pub(super) fn show_picker(options: &Options<'_>) -> Result<bool, ConfigError> {
    options.boolean("showPicker", true)
}

/// `height`: a CSS length (default `600px`); a number is whole pixels.
pub(super) fn height(options: &Options<'_>) -> Result<String, ConfigError> {
    let height = match options.get("height") {
        // Whole pixels: formatting a float would add its code to the bundle.
        Some(RawValue::Num(n)) if n.is_finite() && *n >= 1.0 => {
            let mut pixels = (n.round().min(f64::from(u32::MAX)) as u32).to_string();
            pixels.push_str("px");
            pixels
        }
        _ => options
            .string("height")?
            .unwrap_or_else(|| "600px".to_owned()),
    };
    if !height
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"%. ()+-*/".contains(&b))
    {
        return Err(ConfigError::WrongType {
            name: "height",
            expected: "a CSS length like 600px",
        });
    }
    Ok(height)
}

/// `colorScheme`: `light` (the default), `dark` or `auto`.
pub(super) fn color_scheme(options: &Options<'_>) -> Result<ColorScheme, ConfigError> {
    match options.string("colorScheme")?.as_deref() {
        None | Some("light") => Ok(ColorScheme::Light),
        Some("dark") => Ok(ColorScheme::Dark),
        Some("auto") => Ok(ColorScheme::Auto),
        Some(_) => Err(ConfigError::WrongType {
            name: "colorScheme",
            expected: "\"light\", \"dark\" or \"auto\"",
        }),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::options::testing::{read, text};
    use super::*;

    #[test]
    fn the_picker_shows_unless_turned_off() {
        let picker = |v: RawValue| read(&[("showPicker", v)], show_picker);
        assert_eq!(picker(RawValue::Absent), Ok(true));
        assert_eq!(picker(text("")), Ok(true));
        assert_eq!(picker(text("false")), Ok(false));
        assert_eq!(picker(RawValue::Bool(false)), Ok(false));
        assert!(matches!(
            picker(text("no")),
            Err(ConfigError::WrongType {
                name: "showPicker",
                ..
            })
        ));
    }

    #[test]
    fn heights_are_css_lengths_and_numbers_whole_pixels() {
        let height = |v: RawValue| read(&[("height", v)], height);
        assert_eq!(height(RawValue::Absent), Ok("600px".into()));
        assert_eq!(height(text(" ")), Ok("600px".into()));
        assert_eq!(height(RawValue::Num(480.0)), Ok("480px".into()));
        assert_eq!(height(RawValue::Num(480.6)), Ok("481px".into()));
        assert_eq!(height(RawValue::Num(1e300)), Ok(format!("{}px", u32::MAX)));
        assert_eq!(
            height(text("calc(100vh - 2rem)")),
            Ok("calc(100vh - 2rem)".into())
        );
        assert_eq!(height(text("50%")), Ok("50%".into()));
        // Below one pixel a number is read as a string: only a whole one passes.
        assert_eq!(height(RawValue::Num(0.0)), Ok("0".into()));
        let wrong = |v: RawValue| {
            height(v)
                == Err(ConfigError::WrongType {
                    name: "height",
                    expected: "a CSS length like 600px",
                })
        };
        for bad in ["1px;background:red", "url(x)\"", "1px}", "a\u{e9}"] {
            assert!(wrong(text(bad)), "{bad}");
        }
        assert!(matches!(
            height(RawValue::Num(0.5)),
            Err(ConfigError::WrongType {
                name: "height",
                expected: "a string"
            })
        ));
        assert!(matches!(
            height(RawValue::Num(f64::INFINITY)),
            Err(ConfigError::WrongType {
                name: "height",
                expected: "a string"
            })
        ));
        // Read as its digits, which pass the character check.
        assert_eq!(height(RawValue::Num(-2.0)), Ok("-2".into()));
    }

    #[test]
    fn color_schemes_are_light_dark_or_auto() {
        let scheme = |v: RawValue| read(&[("colorScheme", v)], color_scheme);
        assert_eq!(scheme(RawValue::Absent), Ok(ColorScheme::Light));
        assert_eq!(scheme(text("light")), Ok(ColorScheme::Light));
        assert_eq!(scheme(text(" dark ")), Ok(ColorScheme::Dark));
        assert_eq!(scheme(text("auto")), Ok(ColorScheme::Auto));
        for wrong in [text("Dark"), text("system"), RawValue::Bool(true)] {
            assert!(matches!(
                scheme(wrong),
                Err(ConfigError::WrongType {
                    name: "colorScheme",
                    ..
                })
            ));
        }
        for s in [ColorScheme::Light, ColorScheme::Dark, ColorScheme::Auto] {
            assert_eq!(scheme(text(s.as_str())), Ok(s));
        }
    }
}

//! Enums of documented API values that keep any other value as its raw text.

/// Declares an enum of the documented `"RAW"` values plus `Unknown(String)`.
///
/// `Display`, `as_str` and serde all use the raw API text, so an unknown value
/// round-trips unchanged and is never a parse failure.
macro_rules! raw_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident => $raw:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value outside the documented list, kept exactly as the API sent it.
            Unknown(String),
        }

        impl $name {
            /// The documented values, in the reference's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// Parses the API's text; anything undocumented becomes `Unknown`.
            pub fn from_raw(raw: &str) -> Self {
                match raw {
                    $($raw => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }

            /// The API's text for this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $raw,)+
                    Self::Unknown(raw) => raw,
                }
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        /// A missing value is an empty unknown one (tolerant: never fails a page).
        impl Default for $name {
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_raw(raw))
            }
        }

        impl From<&str> for $name {
            fn from(raw: &str) -> Self {
                Self::from_raw(raw)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Ok(Self::from_raw(&raw))
            }
        }
    };
}

pub(crate) use raw_enum;

//! The fields of a trial request: their API names, labels and command-line flags.

/// One field of a trial request, in the order a form shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    AccountName,
    AdminEmail,
    AdminName,
    CompanyName,
    CurrencyIsoCode,
    NumLicenses,
    PhoneNumber,
    WebsiteUrl,
    Edition,
    ExternalData,
}

impl Field {
    /// Every field, in form order.
    pub const ALL: [Field; 10] = [
        Field::AccountName,
        Field::AdminEmail,
        Field::AdminName,
        Field::CompanyName,
        Field::CurrencyIsoCode,
        Field::NumLicenses,
        Field::PhoneNumber,
        Field::WebsiteUrl,
        Field::Edition,
        Field::ExternalData,
    ];

    /// The name in the API's request body and in its field errors, e.g. `admin_email`.
    pub fn api_name(self) -> &'static str {
        match self {
            Field::AccountName => "account_name",
            Field::AdminEmail => "admin_email",
            Field::AdminName => "admin_name",
            Field::CompanyName => "company_name",
            Field::CurrencyIsoCode => "currency_iso_code",
            Field::NumLicenses => "num_licenses",
            Field::PhoneNumber => "phone_number",
            Field::WebsiteUrl => "website_url",
            Field::Edition => "edition",
            Field::ExternalData => "external_data",
        }
    }

    /// The field whose API name is `name` (as a server field error names it).
    pub fn from_api_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.api_name() == name)
    }

    /// A short label for people, e.g. `Admin e-mail`.
    pub fn label(self) -> &'static str {
        match self {
            Field::AccountName => "Account name",
            Field::AdminEmail => "Admin e-mail",
            Field::AdminName => "Admin name",
            Field::CompanyName => "Company name",
            Field::CurrencyIsoCode => "Currency",
            Field::NumLicenses => "Licenses",
            Field::PhoneNumber => "Phone number",
            Field::WebsiteUrl => "Website",
            Field::Edition => "Edition",
            Field::ExternalData => "External data",
        }
    }

    /// The `tdbi trial create` flag that sets it, e.g. `--admin-email`.
    pub fn flag(self) -> &'static str {
        match self {
            Field::AccountName => "--account-name",
            Field::AdminEmail => "--admin-email",
            Field::AdminName => "--admin-name",
            Field::CompanyName => "--company-name",
            Field::CurrencyIsoCode => "--currency",
            Field::NumLicenses => "--licenses",
            Field::PhoneNumber => "--phone",
            Field::WebsiteUrl => "--website",
            Field::Edition => "--edition",
            Field::ExternalData => "--external-data",
        }
    }

    /// What a valid value looks like, for a form's placeholder or help line.
    pub fn hint(self) -> &'static str {
        match self {
            Field::AccountName => "3 to 63 letters or digits, starting with a letter",
            Field::AdminEmail => "e.g. john.doe@example.com",
            Field::AdminName | Field::CompanyName => "up to 255 characters",
            Field::CurrencyIsoCode => "ISO 4217 code, e.g. USD",
            Field::NumLicenses => "1 to 10000",
            Field::PhoneNumber => "E.164, e.g. +351489489948",
            Field::WebsiteUrl => "http(s) URL, e.g. https://www.example.com",
            Field::Edition => "EXPRESS (default), ESSENTIALS, ELEVATE or ELITE",
            Field::ExternalData => "optional, up to 255 characters",
        }
    }

    /// Whether a value must be given (an empty edition means EXPRESS).
    pub fn required(self) -> bool {
        !matches!(self, Field::Edition | Field::ExternalData)
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.api_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_flags_are_distinct() {
        for f in Field::ALL {
            assert_eq!(Field::from_api_name(f.api_name()), Some(f));
            assert!(f.flag().starts_with("--"));
        }
        let mut flags: Vec<_> = Field::ALL.iter().map(|f| f.flag()).collect();
        flags.sort_unstable();
        flags.dedup();
        assert_eq!(flags.len(), Field::ALL.len());
        assert_eq!(Field::from_api_name("trial_agreement_accepted"), None);
    }
}

//! ISO 4217 currencies a trial can be billed in, with their names (for a form's picker).
//!
//! Which currencies Talkdesk accepts is **unspecified** beyond "ISO 4217": the tolerant
//! choice is every active national currency code, and the server remains the judge (the
//! simulator accepts a smaller set and answers 400 with the field for the others). Fund
//! codes (BOV, CLF, …), precious metals, SDR and test codes (XAU, XDR, XTS, XXX, …) are
//! left out: nobody buys licenses in them.

/// One ISO 4217 currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    /// Three upper-case letters, e.g. `USD`.
    pub code: &'static str,
    /// English name, e.g. `US Dollar`.
    pub name: &'static str,
}

const fn c(code: &'static str, name: &'static str) -> Currency {
    Currency { code, name }
}

/// Every accepted currency, sorted by code.
pub const CURRENCIES: &[Currency] = &[
    c("AED", "UAE Dirham"),
    c("AFN", "Afghani"),
    c("ALL", "Lek"),
    c("AMD", "Armenian Dram"),
    c("ANG", "Netherlands Antillean Guilder"),
    c("AOA", "Kwanza"),
    c("ARS", "Argentine Peso"),
    c("AUD", "Australian Dollar"),
    c("AWG", "Aruban Florin"),
    c("AZN", "Azerbaijan Manat"),
    c("BAM", "Convertible Mark"),
    c("BBD", "Barbados Dollar"),
    c("BDT", "Taka"),
    c("BGN", "Bulgarian Lev"),
    c("BHD", "Bahraini Dinar"),
    c("BIF", "Burundi Franc"),
    c("BMD", "Bermudian Dollar"),
    c("BND", "Brunei Dollar"),
    c("BOB", "Boliviano"),
    c("BRL", "Brazilian Real"),
    c("BSD", "Bahamian Dollar"),
    c("BTN", "Ngultrum"),
    c("BWP", "Pula"),
    c("BYN", "Belarusian Ruble"),
    c("BZD", "Belize Dollar"),
    c("CAD", "Canadian Dollar"),
    c("CDF", "Congolese Franc"),
    c("CHF", "Swiss Franc"),
    c("CLP", "Chilean Peso"),
    c("CNY", "Yuan Renminbi"),
    c("COP", "Colombian Peso"),
    c("CRC", "Costa Rican Colon"),
    c("CUP", "Cuban Peso"),
    c("CVE", "Cabo Verde Escudo"),
    c("CZK", "Czech Koruna"),
    c("DJF", "Djibouti Franc"),
    c("DKK", "Danish Krone"),
    c("DOP", "Dominican Peso"),
    c("DZD", "Algerian Dinar"),
    c("EGP", "Egyptian Pound"),
    c("ERN", "Nakfa"),
    c("ETB", "Ethiopian Birr"),
    c("EUR", "Euro"),
    c("FJD", "Fiji Dollar"),
    c("FKP", "Falkland Islands Pound"),
    c("GBP", "Pound Sterling"),
    c("GEL", "Lari"),
    c("GHS", "Ghana Cedi"),
    c("GIP", "Gibraltar Pound"),
    c("GMD", "Dalasi"),
    c("GNF", "Guinean Franc"),
    c("GTQ", "Quetzal"),
    c("GYD", "Guyana Dollar"),
    c("HKD", "Hong Kong Dollar"),
    c("HNL", "Lempira"),
    c("HTG", "Gourde"),
    c("HUF", "Forint"),
    c("IDR", "Rupiah"),
    c("ILS", "New Israeli Sheqel"),
    c("INR", "Indian Rupee"),
    c("IQD", "Iraqi Dinar"),
    c("IRR", "Iranian Rial"),
    c("ISK", "Iceland Krona"),
    c("JMD", "Jamaican Dollar"),
    c("JOD", "Jordanian Dinar"),
    c("JPY", "Yen"),
    c("KES", "Kenyan Shilling"),
    c("KGS", "Som"),
    c("KHR", "Riel"),
    c("KMF", "Comorian Franc"),
    c("KPW", "North Korean Won"),
    c("KRW", "Won"),
    c("KWD", "Kuwaiti Dinar"),
    c("KYD", "Cayman Islands Dollar"),
    c("KZT", "Tenge"),
    c("LAK", "Lao Kip"),
    c("LBP", "Lebanese Pound"),
    c("LKR", "Sri Lanka Rupee"),
    c("LRD", "Liberian Dollar"),
    c("LSL", "Loti"),
    c("LYD", "Libyan Dinar"),
    c("MAD", "Moroccan Dirham"),
    c("MDL", "Moldovan Leu"),
    c("MGA", "Malagasy Ariary"),
    c("MKD", "Denar"),
    c("MMK", "Kyat"),
    c("MNT", "Tugrik"),
    c("MOP", "Pataca"),
    c("MRU", "Ouguiya"),
    c("MUR", "Mauritius Rupee"),
    c("MVR", "Rufiyaa"),
    c("MWK", "Malawi Kwacha"),
    c("MXN", "Mexican Peso"),
    c("MYR", "Malaysian Ringgit"),
    c("MZN", "Mozambique Metical"),
    c("NAD", "Namibia Dollar"),
    c("NGN", "Naira"),
    c("NIO", "Cordoba Oro"),
    c("NOK", "Norwegian Krone"),
    c("NPR", "Nepalese Rupee"),
    c("NZD", "New Zealand Dollar"),
    c("OMR", "Rial Omani"),
    c("PAB", "Balboa"),
    c("PEN", "Sol"),
    c("PGK", "Kina"),
    c("PHP", "Philippine Peso"),
    c("PKR", "Pakistan Rupee"),
    c("PLN", "Zloty"),
    c("PYG", "Guarani"),
    c("QAR", "Qatari Rial"),
    c("RON", "Romanian Leu"),
    c("RSD", "Serbian Dinar"),
    c("RUB", "Russian Ruble"),
    c("RWF", "Rwanda Franc"),
    c("SAR", "Saudi Riyal"),
    c("SBD", "Solomon Islands Dollar"),
    c("SCR", "Seychelles Rupee"),
    c("SDG", "Sudanese Pound"),
    c("SEK", "Swedish Krona"),
    c("SGD", "Singapore Dollar"),
    c("SHP", "Saint Helena Pound"),
    c("SLE", "Leone"),
    c("SOS", "Somali Shilling"),
    c("SRD", "Surinam Dollar"),
    c("SSP", "South Sudanese Pound"),
    c("STN", "Dobra"),
    c("SVC", "El Salvador Colon"),
    c("SYP", "Syrian Pound"),
    c("SZL", "Lilangeni"),
    c("THB", "Baht"),
    c("TJS", "Somoni"),
    c("TMT", "Turkmenistan New Manat"),
    c("TND", "Tunisian Dinar"),
    c("TOP", "Pa'anga"),
    c("TRY", "Turkish Lira"),
    c("TTD", "Trinidad and Tobago Dollar"),
    c("TWD", "New Taiwan Dollar"),
    c("TZS", "Tanzanian Shilling"),
    c("UAH", "Hryvnia"),
    c("UGX", "Uganda Shilling"),
    c("USD", "US Dollar"),
    c("UYU", "Peso Uruguayo"),
    c("UZS", "Uzbekistan Sum"),
    c("VED", "Bolívar Soberano"),
    c("VES", "Bolívar Soberano"),
    c("VND", "Dong"),
    c("VUV", "Vatu"),
    c("WST", "Tala"),
    c("XAF", "CFA Franc BEAC"),
    c("XCD", "East Caribbean Dollar"),
    c("XCG", "Caribbean Guilder"),
    c("XOF", "CFA Franc BCEAO"),
    c("XPF", "CFP Franc"),
    c("YER", "Yemeni Rial"),
    c("ZAR", "Rand"),
    c("ZMW", "Zambian Kwacha"),
    c("ZWG", "Zimbabwe Gold"),
];

/// The currency with this code, whatever its case and surrounding blanks.
pub fn find(code: &str) -> Option<&'static Currency> {
    let code = code.trim();
    if code.len() != 3 {
        return None;
    }
    let upper = code.to_ascii_uppercase();
    CURRENCIES
        .binary_search_by(|c| c.code.cmp(upper.as_str()))
        .ok()
        .map(|i| &CURRENCIES[i])
}

/// Currencies whose code or name contains `query` (case-insensitive), codes that start
/// with it first; every currency for an empty query. For a form's picker.
pub fn search(query: &str) -> Vec<&'static Currency> {
    let query = query.trim().to_lowercase();
    let (mut first, rest): (Vec<_>, Vec<_>) = CURRENCIES
        .iter()
        .filter(|c| {
            c.code.to_ascii_lowercase().contains(&query) || c.name.to_lowercase().contains(&query)
        })
        .partition(|c| c.code.to_ascii_lowercase().starts_with(&query));
    first.extend(rest);
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_three_upper_case_letters() {
        assert!(CURRENCIES.windows(2).all(|w| w[0].code < w[1].code));
        assert!(CURRENCIES.iter().all(|c| {
            c.code.len() == 3
                && c.code.bytes().all(|b| b.is_ascii_uppercase())
                && !c.name.is_empty()
        }));
    }

    #[test]
    fn covers_every_currency_the_simulator_accepts() {
        // The simulator's list (src/sim/provision.rs), copied: it must stay a subset.
        let sim = [
            "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK",
            "HUF", "RON", "BGN", "JPY", "CNY", "HKD", "SGD", "INR", "KRW", "TWD", "THB", "MYR",
            "IDR", "PHP", "BRL", "MXN", "ARS", "CLP", "COP", "ZAR", "AED", "SAR", "ILS", "TRY",
        ];
        for code in sim {
            assert!(find(code).is_some(), "{code}");
        }
    }

    #[test]
    fn find_ignores_case_and_blanks_and_refuses_non_currencies() {
        assert_eq!(find(" eur ").map(|c| c.name), Some("Euro"));
        assert_eq!(find("Usd").map(|c| c.code), Some("USD"));
        for bad in ["", "US", "USDD", "XAU", "XXX", "ÉUR", "U$D"] {
            assert_eq!(find(bad), None, "{bad}");
        }
    }

    #[test]
    fn search_puts_code_prefixes_first() {
        let found = search("eu");
        assert_eq!(found.first().map(|c| c.code), Some("EUR"));
        assert!(search("dollar").iter().any(|c| c.code == "USD"));
        assert_eq!(search("").len(), CURRENCIES.len());
        assert!(search("no such money").is_empty());
    }
}

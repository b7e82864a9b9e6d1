//! Texts of the customer's own details (en, nl, de).

/// Every text of the customer's own details in one language.
pub struct ProfileTexts {
    pub profile_title: &'static str,
    pub name: &'static str,
    pub phone: &'static str,
    pub phone_hint: &'static str,
    pub email_fixed: &'static str,
    pub address_label: fn(&str) -> &'static str,
    pub street: &'static str,
    pub postal_code: &'static str,
    pub city: &'static str,
    pub country: &'static str,
}

pub const EN: ProfileTexts = ProfileTexts {
    profile_title: "Your details",
    name: "Name",
    phone: "Phone number",
    phone_hint: "International format, for example +31 6 1234 5678. Leave empty for none.",
    email_fixed: "Your e-mail address is also your sign-in name; contact us to change it.",
    address_label: |l| match l {
        "billing" => "Billing address",
        _ => "Delivery address",
    },
    street: "Street and number",
    postal_code: "Postal code",
    city: "City",
    country: "Country (two letters, e.g. NL)",
};

pub const NL: ProfileTexts = ProfileTexts {
    profile_title: "Uw gegevens",
    name: "Naam",
    phone: "Telefoonnummer",
    phone_hint: "Internationaal formaat, bijvoorbeeld +31 6 1234 5678. Laat leeg als u er geen wilt opgeven.",
    email_fixed: "Uw e-mailadres is ook uw inlognaam; neem contact met ons op om het te wijzigen.",
    address_label: |l| match l {
        "billing" => "Factuuradres",
        _ => "Bezorgadres",
    },
    street: "Straat en huisnummer",
    postal_code: "Postcode",
    city: "Plaats",
    country: "Land (twee letters, bijv. NL)",
};

pub const DE: ProfileTexts = ProfileTexts {
    profile_title: "Ihre Daten",
    name: "Name",
    phone: "Telefonnummer",
    phone_hint: "Internationales Format, zum Beispiel +49 151 2345 6789. Leer lassen, wenn keine.",
    email_fixed:
        "Ihre E-Mail-Adresse ist auch Ihr Anmeldename; wenden Sie sich an uns, um sie zu ändern.",
    address_label: |l| match l {
        "billing" => "Rechnungsadresse",
        _ => "Lieferadresse",
    },
    street: "Straße und Hausnummer",
    postal_code: "Postleitzahl",
    city: "Ort",
    country: "Land (zwei Buchstaben, z. B. DE)",
};

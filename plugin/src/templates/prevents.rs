//! The Meta error each template problem prevents: the code Meta actually answers for that mistake.
//!
//! Codes and titles: Meta, "WhatsApp error codes"
//! (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/,
//! updated 2026-06-18). Which mistake draws which code is not on that page; it comes from the exact
//! errors (`message` plus `error_data.details`) quoted in public trackers, cited per constant.
//! A constant marked "unconfirmed" is used where no such quote was found; the fixture README
//! (`tests/fixtures/templates/README.md`, "Which Meta error each problem prevents") lists the same.

/// 131008 "Required parameter is missing". Trackers quote it for a dynamic URL button without its
/// suffix ("buttons: Button at index 0 of type Url requires a parameter"), a copy-code button without
/// its code ("Button at index 1 of type copy_code requires a non-empty parameter coupon_code"), and an
/// empty text parameter ("Parameter of type text is missing text value").
pub const REQUIRED_PARAMETER_MISSING: u32 = 131008;

/// 131053 "Media upload error". Trackers quote it for a media file of a type Meta refuses ("Media
/// upload error: Unsupported Image mime type image/webp. Please use one of image/png, image/jpeg.";
/// "application/zip (#131053)"), asynchronously in the status webhook. Unconfirmed for a template
/// header specifically, and for media of another kind (a video for an image header): Meta sends the
/// header with the type the template declares, so the file's type can only be refused when fetched.
pub const MEDIA_UPLOAD_ERROR: u32 = 131053;

/// 132000 "Number of parameters does not match the expected number of params". Trackers quote it per
/// component: "body: number of localizable_params (0) does not match the expected number of params (1)",
/// "header: number of localizable_params (0) …", and "(2) … (0)" for values a body does not have.
/// For a value given to a button that takes none (Meta's detail: "Button at index 0 of type Url does
/// not require parameters") or to a button index the template lacks, the code is unconfirmed.
pub const PARAMETER_COUNT_MISMATCH: u32 = 132000;

/// 132001 "Template name does not exist in the translation": "The template does not exist in the
/// specified language or the template has not been approved" (Meta's page).
pub const TEMPLATE_NOT_AVAILABLE: u32 = 132001;

/// 132005 "Translated text too long": the text with its values filled in is longer than the component
/// allows (header 60, body 1024). Trackers quote it for long header and body values.
pub const TEXT_TOO_LONG: u32 = 132005;

/// 132012 "Parameter format does not match format in the created template". Trackers quote it for a
/// media header sent without media: "header: Format mismatch, expected IMAGE, received UNKNOWN" (also
/// DOCUMENT). For a location header without a location, unconfirmed (same check, no quote found).
pub const PARAMETER_FORMAT_MISMATCH: u32 = 132012;

/// 132015 "Template is paused" (for low quality); quoted as "(#132015) Template is paused".
pub const TEMPLATE_PAUSED: u32 = 132015;

/// 132016 "Template is disabled"; quoted as "[Code 132016] Template is disabled".
pub const TEMPLATE_DISABLED: u32 = 132016;

/// 132018 "There's an issue with the parameters in your template". Trackers quote it for a value with a
/// newline, tab or more than four consecutive spaces ("Param text cannot have new-line/tab characters
/// or more than 4 consecutive spaces"), on the Cloud API `/messages` endpoint. Meta's page lists 132018
/// only in its Marketing Messages table; older reports (before Graph v23) saw #100 or 132000.
pub const TEMPLATE_PARAMETER_ISSUE: u32 = 132018;

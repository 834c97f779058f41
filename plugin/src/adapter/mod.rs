//! The wit-bindgen glue, compiled only for wasm32: WIT types in, core types through, WIT types out.
//! No logic lives here; every decision is in the core modules, which unit-test natively.
//!
//! One file per WIT interface holds its `Guest` impl (each export calls the core) and its record
//! conversions as `From` impls; this file holds the shared `types` interface and the macros.

wit_bindgen::generate!({ world: "plugin", path: "../wit" });

use exports::helpdesk::whatsapp::types as wt;

use crate::error::InvalidInput;
use crate::inbound::model as im;
use crate::types::ClockSource;
use crate::types::MessageCategory;

struct Plugin;
export!(Plugin);

std::thread_local! {
    /// Every export shares one post-return function (issue 15, a fresh instance per call): wasmtime looks
    /// up each distinct post-return of a component on every instantiation, and the 20 that wit-bindgen
    /// generates cost 0.7 to 0.9 µs of each fresh instance (`host-harness/examples/fresh_ab.rs`). The
    /// build points every `cabi_post_*` export at [`shared_post_return`] (`component_build.rs`), which
    /// runs the post-return the export that just returned registered here with [`free_after_return`].
    /// An export that does not register leaks its result on a kept instance; it never frees another's.
    static PENDING_POST_RETURN: std::cell::Cell<Option<unsafe fn(*mut u8)>> = const { std::cell::Cell::new(None) };
}

/// Called by every export that has a post-return, with wit-bindgen's post-return for it: first, or,
/// in an export that runs other exports (`json.call`), last.
fn free_after_return(post_return: unsafe fn(*mut u8)) {
    PENDING_POST_RETURN.set(Some(post_return));
}

/// The one post-return: frees what the last export returned, once.
///
/// # Safety
/// Called by the host only, after an export returned, with that export's return area.
#[unsafe(export_name = "whatsapp-plugin:shared-post-return")]
unsafe extern "C" fn shared_post_return(ret_area: *mut u8) {
    if let Some(post_return) = PENDING_POST_RETURN.take() {
        // SAFETY: `post_return` is the post-return of the export whose return area this is.
        unsafe { post_return(ret_area) }
    }
}

/// Enums that are the same list of cases on both sides, converted both ways.
macro_rules! same_cases {
    ($wit:ty, $core:ty: $($case:ident),+) => {
        impl From<$wit> for $core {
            fn from(v: $wit) -> Self {
                match v { $(<$wit>::$case => <$core>::$case),+ }
            }
        }
        impl From<$core> for $wit {
            fn from(v: $core) -> Self {
                match v { $(<$core>::$case => <$wit>::$case),+ }
            }
        }
    };
}

/// A record converted one way whose fields have the same names on both sides: each plain field goes
/// through `Into` (most are the identity), `option` and `list` fields element by element.
macro_rules! into_fields {
    ($from:ty => $to:ty { $($f:ident),* $(,)? } $(option { $($o:ident),* $(,)? })? $(list { $($l:ident),* $(,)? })?) => {
        #[allow(clippy::useless_conversion)] // plain fields all go through `Into`, most as the identity
        impl From<$from> for $to {
            fn from(v: $from) -> Self {
                Self {
                    $($f: v.$f.into(),)*
                    $($($o: v.$o.map(Into::into),)*)?
                    $($($l: v.$l.into_iter().map(Into::into).collect(),)*)?
                }
            }
        }
    };
}

/// `into_fields!` both ways, for records that cross the boundary in and out.
macro_rules! same_fields {
    ($a:ty, $b:ty { $($fields:tt)* } $($rest:tt)*) => {
        into_fields!($a => $b { $($fields)* } $($rest)*);
        into_fields!($b => $a { $($fields)* } $($rest)*);
    };
}

mod inbound;
mod info;
mod json;
mod masking;
mod outbound;
mod templates;
mod window;

same_cases!(wt::Provider, im::Provider: Twilio, MetaCloud, OneMsg);
same_cases!(wt::ClockSource, ClockSource: ProviderTimestamp, HelpdeskReceipt);
same_cases!(wt::MessageCategory, MessageCategory: Marketing, Utility, Authentication, AuthenticationInternational, Service,
    GroupMarketing, GroupUtility, GroupService);
into_fields!(InvalidInput => wt::InvalidInput { field, reason });
into_fields!(im::Customer => wt::Customer { phone, wa_id, bsuid, profile_name, parent_bsuid, username });

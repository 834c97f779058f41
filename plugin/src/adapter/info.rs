//! `info`: what this build is and supports.

use super::Plugin;
use super::exports::helpdesk::whatsapp::{info as wit_info, types as wt};
use crate::info;

impl wit_info::Guest for Plugin {
    fn info() -> wit_info::PluginInfo {
        super::free_after_return(wit_info::__post_return_info::<Plugin>);
        wit_info::PluginInfo {
            contract_version: info::CONTRACT_VERSION.into(),
            plugin_version: info::PLUGIN_VERSION.into(),
            providers: vec![wt::Provider::Twilio, wt::Provider::MetaCloud, wt::Provider::OneMsg],
            features: info::FEATURES.iter().map(|f| f.to_string()).collect(),
        }
    }
}

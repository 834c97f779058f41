//! Fuzz the Twilio parser (see common.rs).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(whatsapp_plugin::inbound::model::Provider::Twilio, data));

//! libFuzzer entry of `jf_fuzz::targets::report_form`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jf_fuzz::targets::report_form(data));

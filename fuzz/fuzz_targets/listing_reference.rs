//! libFuzzer entry of `jf_fuzz::targets::listing_reference`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jf_fuzz::targets::listing_reference(data));

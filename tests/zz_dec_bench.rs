use gitpod_prebuilds::api::Method;
use gitpod_prebuilds::call::decode_success;
#[test]
#[ignore]
fn decode_loop() {
    let page = std::fs::read_to_string("/tmp/page.json").unwrap();
    for _ in 0..100 {
        std::hint::black_box(decode_success(Method::ListPrebuilds, &page).unwrap());
    }
}

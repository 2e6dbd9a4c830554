fn main() {
    for arg in std::env::args().skip(1) {
        match policygraph::load_path(std::path::Path::new(&arg), &policygraph::Limits::default()) {
            Ok(_) => println!("{arg}: ok"),
            Err(e) => {
                for d in e.diagnostics {
                    println!("{d}\n   help: {:?}", d.help);
                }
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let loaded = policygraph::load_path(
        std::path::Path::new(&args[1]),
        &policygraph::Limits::default(),
    )
    .unwrap();
    let g = policygraph::Graph::build(&loaded.document);
    match args[2].as_str() {
        "coverage" => println!(
            "{}",
            serde_json::to_string_pretty(&policygraph::coverage(&g)).unwrap()
        ),
        "trace" => println!(
            "{}",
            serde_json::to_string_pretty(&policygraph::trace(&g, &args[3]).unwrap()).unwrap()
        ),
        "impact" => println!(
            "{}",
            serde_json::to_string_pretty(&policygraph::impact(&g, &args[3]).unwrap()).unwrap()
        ),
        _ => {
            let q: policygraph::Query = serde_json::from_str(&args[3]).unwrap();
            println!(
                "{}",
                serde_json::to_string_pretty(&policygraph::query(&g, &q).unwrap()).unwrap()
            )
        }
    }
}

//! The results chain as inline SVG, laid out by the library itself (layered layout).

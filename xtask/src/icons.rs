//! Draws the app icons (a white "H" on Helhed's teal, with a warm light in
//! the window) as PNGs, so no image editor or downloaded asset is needed.
//! `any` icons have rounded corners; `maskable` ones fill the square and
//! keep the mark inside the safe zone, for launchers that crop to a circle.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use anyhow::Context;

use crate::say;

const TEAL: [f32; 3] = [11.0, 110.0, 105.0];
const WHITE: [f32; 3] = [255.0, 255.0, 255.0];
const AMBER: [f32; 3] = [242.0, 178.0, 74.0];
/// Samples per pixel side, for smooth edges.
const SS: u32 = 4;

/// What covers the unit point (x, y) ∈ [0,1]²: `None` is transparent.
fn shade(x: f32, y: f32, maskable: bool) -> Option<[f32; 3]> {
    if !maskable {
        // A rounded square, corner radius 22 %.
        let r = 0.22;
        let cx = x.clamp(r, 1.0 - r);
        let cy = y.clamp(r, 1.0 - r);
        if (x - cx).powi(2) + (y - cy).powi(2) > r * r {
            return None;
        }
    }
    // The mark lives in a centred box: 56 % of the icon, 44 % when maskable.
    let size = if maskable { 0.44 } else { 0.56 };
    let (u, v) = ((x - 0.5) / size + 0.5, (y - 0.5) / size + 0.5);
    let inside = |x0: f32, y0: f32, x1: f32, y1: f32| u >= x0 && u <= x1 && v >= y0 && v <= y1;
    let h = inside(0.08, 0.05, 0.30, 0.95) || inside(0.70, 0.05, 0.92, 0.95) || inside(0.30, 0.42, 0.70, 0.60);
    let light = (u - 0.5).powi(2) + (v - 0.22).powi(2) < 0.1f32.powi(2);
    Some(if light {
        AMBER
    } else if h {
        WHITE
    } else {
        TEAL
    })
}

fn render(size: u32, maskable: bool) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((size * size * 4) as usize);
    for py in 0..size {
        for px in 0..size {
            let mut sum = [0.0f32; 3];
            let mut covered = 0u32;
            for sy in 0..SS {
                for sx in 0..SS {
                    let x = (px as f32 + (sx as f32 + 0.5) / SS as f32) / size as f32;
                    let y = (py as f32 + (sy as f32 + 0.5) / SS as f32) / size as f32;
                    if let Some(c) = shade(x, y, maskable) {
                        covered += 1;
                        for i in 0..3 {
                            sum[i] += c[i];
                        }
                    }
                }
            }
            let alpha = covered as f32 / (SS * SS) as f32;
            for channel in sum {
                pixels.push(if covered == 0 { 0 } else { (channel / covered as f32).round() as u8 });
            }
            pixels.push((alpha * 255.0).round() as u8);
        }
    }
    pixels
}

fn write_png(path: &Path, size: u32, pixels: &[u8]) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), size, size);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(())
}

pub fn draw(dir: &Path) -> anyhow::Result<()> {
    say(&format!("Drawing icons into {}", dir.display()));
    std::fs::create_dir_all(dir)?;
    for (name, size, maskable) in [
        ("icon-192.png", 192, false),
        ("icon-512.png", 512, false),
        ("icon-maskable-192.png", 192, true),
        ("icon-maskable-512.png", 512, true),
        ("apple-touch-icon.png", 180, true),
        ("favicon-32.png", 32, false),
    ] {
        write_png(&dir.join(name), size, &render(size, maskable))?;
        println!("    {name}");
    }
    Ok(())
}

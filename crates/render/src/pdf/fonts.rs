//! Fonts for the PDF renderer: loading them once (system fonts and `--font-dir`
//! directories) and mapping the four official-document font roles (小标宋、黑体、仿宋、楷体,
//! plus 宋体 for tables and page numbers) to families that are actually installed.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use typst::text::{Font, FontBook, FontFlags, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontStore};

use crate::error::{Error, Result};

/// A character every simplified-Chinese font has; a family covering it counts as CJK.
const CJK_PROBE: char = '中';

/// Where fonts are looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontOptions {
    /// Extra directories, searched recursively (`--font-dir`, `font_paths` in the config).
    /// Their fonts take precedence over system fonts of the same family.
    pub extra_dirs: Vec<PathBuf>,
    /// Whether to search the operating system's font directories (fontconfig on Linux).
    pub system: bool,
}

impl Default for FontOptions {
    /// System fonts, no extra directories.
    fn default() -> Self {
        FontOptions {
            extra_dirs: Vec::new(),
            system: true,
        }
    }
}

/// A loaded font set. Loading scans font files (metadata only; glyph data is read when a
/// font is first used), so load once and reuse it for every PDF of a run.
pub struct Fonts {
    store: FontStore,
    /// Family names as Typst sees them, sorted, without duplicates.
    families: Vec<String>,
    /// Families that cover Chinese text, sorted.
    cjk_families: Vec<String>,
}

impl fmt::Debug for Fonts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fonts")
            .field("families", &self.families)
            .finish_non_exhaustive()
    }
}

impl Fonts {
    /// Finds the fonts of the extra directories and (if asked) of the system.
    ///
    /// The order of the font set is fixed (extra directories in the given order, then
    /// system fonts, each sorted by path), so the same machine always picks the same face.
    ///
    /// # Errors
    /// [`Error::Io`] when an extra directory does not exist or is not a directory. Finding
    /// no font at all is not an error here; rendering then fails with
    /// [`Error::MissingGlyphs`].
    ///
    /// # Examples
    /// ```no_run
    /// use gonggu_render::pdf::{FontOptions, Fonts};
    /// let fonts = Fonts::load(&FontOptions::default())?;
    /// println!("{} 个字体族", fonts.families().len());
    /// # Ok::<(), gonggu_render::Error>(())
    /// ```
    pub fn load(options: &FontOptions) -> Result<Fonts> {
        let mut entries: Vec<(FontPath, FontInfo)> = Vec::new();
        for dir in &options.extra_dirs {
            match std::fs::metadata(dir) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    return Err(Error::Io {
                        path: dir.clone(),
                        source: std::io::Error::new(
                            std::io::ErrorKind::NotADirectory,
                            "字体目录不是文件夹",
                        ),
                    });
                }
                Err(source) => {
                    return Err(Error::Io {
                        path: dir.clone(),
                        source,
                    });
                }
            }
            entries.extend(sorted(typst_kit::fonts::scan(dir).collect()));
        }
        if options.system {
            entries.extend(sorted(typst_kit::fonts::system().collect()));
        }

        let mut seen = BTreeSet::new();
        let mut store = FontStore::new();
        let mut families = BTreeSet::new();
        let mut cjk_families = BTreeSet::new();
        for (path, info) in entries {
            if !seen.insert((path.path.clone(), path.index)) {
                continue;
            }
            families.insert(info.family.clone());
            if info.coverage.contains(u32::from(CJK_PROBE)) {
                cjk_families.insert(info.family.clone());
            }
            store.push((path, info));
        }
        Ok(Fonts {
            store,
            families: families.into_iter().collect(),
            cjk_families: cjk_families.into_iter().collect(),
        })
    }

    /// The font families found, sorted by name (as Typst names them: the font's family
    /// name, e.g. `Noto Serif CJK SC`).
    pub fn families(&self) -> Vec<String> {
        self.families.clone()
    }

    /// The families that can show Chinese text, sorted by name.
    pub fn cjk_families(&self) -> Vec<String> {
        self.cjk_families.clone()
    }

    /// Whether any font can show Chinese text.
    pub fn has_cjk(&self) -> bool {
        !self.cjk_families.is_empty()
    }

    /// Whether no font was found at all.
    pub fn is_empty(&self) -> bool {
        self.families.is_empty()
    }

    /// Whether some font of the set has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        let book = self.book();
        (0..)
            .map_while(|i| book.info(i))
            .any(|info| info.coverage.contains(u32::from(c)))
    }

    /// The installed family whose name equals `name` ignoring case, as Typst spells it.
    fn family(&self, name: &str) -> Option<&str> {
        let lower = name.to_lowercase();
        self.families
            .iter()
            .find(|f| f.to_lowercase() == lower)
            .map(String::as_str)
    }

    /// Whether an installed CJK family is a serif face (by its PANOSE class or its name).
    fn is_serif(&self, family: &str) -> bool {
        let lower = family.to_lowercase();
        if lower.contains("serif") || lower.contains("song") || lower.contains("ming") {
            return true;
        }
        let book = self.book();
        book.select_family(&lower)
            .filter_map(|i| book.info(i))
            .any(|info| info.flags.contains(FontFlags::SERIF))
    }

    /// Metadata of all faces, for [`typst::World::book`].
    pub(crate) fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    /// The face at `index`, loaded on first use, for [`typst::World::font`].
    pub(crate) fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }
}

/// Sorts scanned faces by path and index so that the font set does not depend on the
/// order in which the file system lists directories.
fn sorted(mut entries: Vec<(FontPath, FontInfo)>) -> Vec<(FontPath, FontInfo)> {
    entries.sort_by(|a, b| (&a.0.path, a.0.index).cmp(&(&b.0.path, b.0.index)));
    entries
}

/// Font-family fallback lists for the typographic roles of an official document. Each
/// list is tried in order; the first installed family wins for a character, later ones
/// fill in characters the earlier ones lack.
///
/// The defaults cover the fonts of Windows/WPS offices (方正小标宋、仿宋_GB2312、黑体、楷体_GB2312),
/// macOS (华文 fonts) and free fonts (Noto CJK / Source Han, AR PL UKai, LXGW WenKai).
/// Both the Chinese and the English family names are listed because a font reports the
/// name of its first name-table entry, which may be either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FontRoles {
    /// 小标宋: issuing-office header (发文机关标志) and title.
    pub title: Vec<String>,
    /// 黑体: first-level headings (一、) and table headers.
    pub heading: Vec<String>,
    /// 仿宋: body text, signature, 版记.
    pub body: Vec<String>,
    /// 楷体: second-level headings (（一）).
    pub kai: Vec<String>,
    /// 宋体: tables and page numbers.
    pub song: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for FontRoles {
    fn default() -> Self {
        FontRoles {
            title: names(&[
                "方正小标宋简体",
                "方正小标宋_GBK",
                "FZXiaoBiaoSong-B05S",
                "FZXiaoBiaoSong-B05",
                "华文中宋",
                "STZhongsong",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
                "Source Han Serif CN",
            ]),
            heading: names(&[
                "黑体",
                "SimHei",
                "方正黑体_GBK",
                "FZHei-B01S",
                "STHeiti",
                "Noto Sans CJK SC",
                "Source Han Sans SC",
                "Source Han Sans CN",
            ]),
            body: names(&[
                "仿宋_GB2312",
                "FangSong_GB2312",
                "方正仿宋_GBK",
                "FZFangSong-Z02S",
                "仿宋",
                "FangSong",
                "STFangsong",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
            ]),
            kai: names(&[
                "楷体_GB2312",
                "KaiTi_GB2312",
                "方正楷体_GBK",
                "FZKai-Z03S",
                "楷体",
                "KaiTi",
                "STKaiti",
                "AR PL UKai CN",
                "LXGW WenKai",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
            ]),
            song: names(&[
                "宋体",
                "SimSun",
                "NSimSun",
                "STSong",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
            ]),
        }
    }
}

impl FontRoles {
    /// Keeps, for each role, the families of its list that are installed (spelled as the
    /// font set spells them). A role none of whose families is installed falls back to
    /// installed CJK families (serif faces first for 小标宋/仿宋/楷体/宋体, sans faces first
    /// for 黑体). With no CJK font at all the lists may be empty; rendering then fails with
    /// [`Error::MissingGlyphs`].
    ///
    /// # Examples
    /// ```no_run
    /// use gonggu_render::pdf::{FontOptions, FontRoles, Fonts};
    /// let fonts = Fonts::load(&FontOptions::default())?;
    /// let roles = FontRoles::default().resolve(&fonts);
    /// println!("正文字体：{:?}", roles.body);
    /// # Ok::<(), gonggu_render::Error>(())
    /// ```
    pub fn resolve(&self, fonts: &Fonts) -> ResolvedRoles {
        let role = |list: &[String], serif: bool| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for name in list {
                if let Some(family) = fonts.family(name)
                    && !out.iter().any(|f| f == family)
                {
                    out.push(family.to_owned());
                }
            }
            if out.is_empty() {
                let mut cjk = fonts.cjk_families.clone();
                // Stable: serif-ness first as wanted, then name.
                cjk.sort_by_key(|f| fonts.is_serif(f) != serif);
                out = cjk.into_iter().take(3).collect();
            }
            out
        };
        ResolvedRoles {
            title: role(&self.title, true),
            heading: role(&self.heading, false),
            body: role(&self.body, true),
            kai: role(&self.kai, true),
            song: role(&self.song, true),
        }
    }
}

/// [`FontRoles`] reduced to installed families. Serialises to the `fonts` object the Typst
/// templates read (`data.fonts.body` …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedRoles {
    /// 小标宋 families.
    pub title: Vec<String>,
    /// 黑体 families.
    pub heading: Vec<String>,
    /// 仿宋 families.
    pub body: Vec<String>,
    /// 楷体 families.
    pub kai: Vec<String>,
    /// 宋体 families.
    pub song: Vec<String>,
}

impl ResolvedRoles {
    /// The roles as the JSON object templates expect under the `fonts` key.
    pub fn to_json(&self) -> serde_json::Value {
        let list = |v: &[String]| serde_json::Value::from(v.to_vec());
        serde_json::json!({
            "title": list(&self.title),
            "heading": list(&self.heading),
            "body": list(&self.body),
            "kai": list(&self.kai),
            "song": list(&self.song),
        })
    }
}

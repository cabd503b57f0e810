//! Compound File Binary, the container of `.xls` (and of password-protected `.xlsx`).
//!
//! calamine walks the header, the sector allocation table (FAT) and the directory as they
//! claim to be: a chain that leaves the file panics, a chain that loops grows without end.
//! [`Compound::parse`] walks them first, the way calamine will, and refuses a file whose
//! chains leave it, loop, or list a sector twice; what it keeps is bounded by the file's
//! length. Reasons are Chinese, for [`crate::Error::Corrupt`].

use encoding_rs::UTF_16LE;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// Sector numbers at or above this are markers, not sectors (DIFAT loop bound).
const MAXREGSECT_END: u32 = 0xFFFF_FFFA;
const MINI_SECTOR: usize = 64;
/// Streams shorter than this live in the mini stream.
const MINI_CUTOFF: u64 = 4096;

/// The magic number every compound file starts with.
pub(crate) const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A directory entry: a stream or storage of the compound file.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Name as calamine decodes it (UTF-16LE, cut at the first NUL).
    pub(crate) name: String,
    start: u32,
    len: u64,
}

/// A compound file whose header, FAT and directory were found sound.
#[derive(Debug)]
pub(crate) struct Compound<'a> {
    data: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
    minifat: Vec<u32>,
    mini_stream: Vec<u8>,
    /// Directory entries in file order.
    pub(crate) entries: Vec<Entry>,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8).map_or(0, |s| {
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        u64::from_le_bytes(a)
    })
}

/// Marks sector `id` as visited; whether it already was (a loop, or a sector listed
/// twice). Ids beyond the table count as visited: the caller found the sector inside the
/// file, so this does not happen.
fn visited(seen: &mut [bool], id: u32) -> bool {
    seen.get_mut(id as usize)
        .is_none_or(|s| std::mem::replace(s, true))
}

/// A sector allocation table (FAT or mini FAT) and the words for its messages.
struct Links<'t> {
    slots: usize,
    table: &'t [u32],
    unit: &'static str,
    outside: &'static str,
    table_name: &'static str,
}

impl Links<'_> {
    /// Collects the sectors of the chain from `start` until ENDOFCHAIN or `len` bytes.
    fn walk<'d>(
        &self,
        start: u32,
        len: u64,
        sector: impl Fn(u32) -> Option<&'d [u8]>,
        what: &str,
    ) -> Result<Vec<u8>, String> {
        let unit = self.unit;
        let mut out = Vec::new();
        let mut seen = vec![false; self.slots];
        let mut id = start;
        while id != ENDOFCHAIN {
            let s =
                sector(id).ok_or_else(|| format!("{what}指向第 {id} {unit}，{}", self.outside))?;
            if visited(&mut seen, id) {
                return Err(format!("{what}的{unit}链出现循环"));
            }
            let room = len.saturating_sub(out.len() as u64);
            let take = (s.len() as u64).min(room) as usize;
            out.extend_from_slice(s.get(..take).unwrap_or_default());
            if out.len() as u64 >= len {
                break;
            }
            id = *self
                .table
                .get(id as usize)
                .ok_or_else(|| format!("{what}的第 {id} {unit}不在{}中", self.table_name))?;
        }
        Ok(out)
    }
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

impl<'a> Compound<'a> {
    /// Checks the compound file `data` (the whole file) and reads its directory.
    ///
    /// # Errors
    /// A Chinese reason when the header is invalid, a sector of the DIFAT, FAT, directory
    /// or mini FAT lies outside the file, a chain loops, or a FAT sector is listed twice.
    pub(crate) fn parse(data: &'a [u8]) -> Result<Self, String> {
        if data.len() < 512 {
            return Err(format!(
                "只有 {} 字节，比 xls 文件头（512 字节）还短：文件被截断了",
                data.len()
            ));
        }
        if data.get(..8) != Some(&MAGIC[..]) {
            return Err("文件头不是 Office 复合文档的标识".into());
        }
        let sector = match u16_at(data, 30) {
            9 => 512,
            12 => 4096,
            s => return Err(format!("文件头中的扇区大小（2^{s}）无效")),
        };
        if u16_at(data, 32) != 6 {
            return Err("文件头中的小扇区大小无效".into());
        }
        if data.len() < 2 * sector {
            return Err(format!(
                "只有 {} 字节，装不下文件头和一个扇区：文件被截断了",
                data.len()
            ));
        }
        let mut c = Compound {
            data,
            sector,
            fat: Vec::new(),
            minifat: Vec::new(),
            mini_stream: Vec::new(),
            entries: Vec::new(),
        };
        let sectors = c.sector_count();

        // DIFAT: 109 entries in the header, then a chain of DIFAT sectors whose last entry
        // points to the next one.
        let mut difat: Vec<u32> = u32s(&data[76..512]).collect();
        let mut seen = vec![false; sectors];
        let mut id = u32_at(data, 68);
        while id < MAXREGSECT_END {
            let s = c.whole_sector(id).ok_or_else(|| {
                format!(
                    "扇区分配表的索引（DIFAT）指向第 {id} 扇区，超出了文件末尾（文件可能被截断）"
                )
            })?;
            if visited(&mut seen, id) {
                return Err("扇区分配表的索引（DIFAT）出现循环".into());
            }
            difat.extend(u32s(s));
            id = difat.pop().unwrap_or(ENDOFCHAIN);
        }

        // FAT: every DIFAT entry below DIFSECT is a FAT sector, read whole by calamine.
        let mut fat_seen = vec![false; sectors];
        for id in difat.into_iter().filter(|id| *id < DIFSECT) {
            let s = c.whole_sector(id).ok_or_else(|| {
                format!("扇区分配表（FAT）位于第 {id} 扇区，超出了文件末尾（文件可能被截断）")
            })?;
            if visited(&mut fat_seen, id) {
                return Err(format!(
                    "扇区分配表（FAT）多次列出第 {id} 扇区（文件结构损坏）"
                ));
            }
            c.fat.extend(u32s(s));
        }

        // Directory: a chain of whole sectors, 128 bytes an entry.
        let dir = c.chain(u32_at(data, 48), u64::MAX, true, "目录")?;
        for e in dir.chunks_exact(128) {
            let mut name = UTF_16LE.decode(&e[..64]).0.into_owned();
            if let Some(l) = name.as_bytes().iter().position(|b| *b == 0) {
                name.truncate(l);
            }
            let len = if sector == 512 {
                u64::from(u32_at(e, 120))
            } else {
                u64_at(e, 120)
            };
            c.entries.push(Entry {
                name,
                start: u32_at(e, 116),
                len,
            });
        }
        let version = u16_at(data, 26);
        match c.entries.first() {
            None => return Err("目录是空的".into()),
            Some(root) if version != 3 && root.start == ENDOFCHAIN => {
                return Err("根目录是空的".into());
            }
            Some(_) => {}
        }

        // Mini stream and mini FAT, read only when the header declares a mini FAT.
        let minifat_sectors = u64::from(u32_at(data, 64));
        if minifat_sectors > 0 {
            let (start, len) = c
                .entries
                .first()
                .map_or((ENDOFCHAIN, 0), |r| (r.start, r.len));
            c.mini_stream = c.chain(start, len, false, "小流容器")?;
            let minifat = c.chain(
                u32_at(data, 60),
                minifat_sectors.saturating_mul(sector as u64),
                true,
                "小扇区分配表",
            )?;
            c.minifat = u32s(&minifat).collect();
        }
        Ok(c)
    }

    /// Sectors that start inside the file (after the header).
    fn sector_count(&self) -> usize {
        (self.data.len() - self.sector).div_ceil(self.sector)
    }

    /// Sector `id` when it lies wholly inside the file.
    fn whole_sector(&self, id: u32) -> Option<&'a [u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(self.sector)?;
        self.data.get(start..start.checked_add(self.sector)?)
    }

    /// Sector `id` when it starts inside the file (the last one may be short, as calamine
    /// reads it).
    fn some_sector(&self, id: u32) -> Option<&'a [u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(self.sector)?;
        if start >= self.data.len() {
            return None;
        }
        let end = start.saturating_add(self.sector).min(self.data.len());
        self.data.get(start..end)
    }

    /// Follows a FAT chain from `start`, as calamine does: stops at ENDOFCHAIN or once
    /// `len` bytes are collected; refuses sectors outside the file and loops.
    fn chain(&self, start: u32, len: u64, whole: bool, what: &str) -> Result<Vec<u8>, String> {
        let sector = |id| {
            if whole {
                self.whole_sector(id)
            } else {
                self.some_sector(id)
            }
        };
        let links = Links {
            slots: self.sector_count(),
            table: &self.fat,
            unit: "扇区",
            outside: "超出了文件末尾（文件可能被截断）",
            table_name: "扇区分配表（FAT）",
        };
        links.walk(start, len, sector, what)
    }

    /// Follows a mini FAT chain inside the mini stream.
    fn mini_chain(&self, start: u32, len: u64, what: &str) -> Result<Vec<u8>, String> {
        let sector = |id: u32| {
            let at = (id as usize).saturating_mul(MINI_SECTOR);
            self.mini_stream.get(at..at.saturating_add(MINI_SECTOR))
        };
        let links = Links {
            slots: self.mini_stream.len() / MINI_SECTOR,
            table: &self.minifat,
            unit: "小扇区",
            outside: "超出了小流容器",
            table_name: "小扇区分配表",
        };
        links.walk(start, len, sector, what)
    }

    /// The first entry named `name` (ASCII case ignored, as calamine looks it up).
    pub(crate) fn find(&self, name: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
    }

    /// Whether an entry named `name` exists.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// The bytes of the stream `e`, read the way calamine reads it.
    ///
    /// # Errors
    /// A Chinese reason when its chain leaves the file or loops.
    pub(crate) fn stream(&self, e: &Entry) -> Result<Vec<u8>, String> {
        let what = format!("数据流「{}」", e.name);
        if e.len < MINI_CUTOFF {
            self.mini_chain(e.start, e.len, &what)
        } else {
            self.chain(e.start, e.len, false, &what)
        }
    }
}

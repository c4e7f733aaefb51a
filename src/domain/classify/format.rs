//! The model file format (version 1). All integers and floats little-endian.
//!
//! ```text
//! offset  size  field
//! 0       8     magic  b"PRECISTM"
//! 8       4     format version, u32 (= 1)
//! 12      8     payload length P, u64
//! 20      P     payload (below)
//! 20+P    8     checksum, u64: FNV-1a 64 of bytes 0 .. 20+P
//! ```
//!
//! Payload, in order (`str` = u32 byte length + UTF-8 bytes):
//!
//! ```text
//! str            name
//! u8             flags: bit 0 = multi-label; other bits 0
//! u8             feature set: 1 = `features::for_each_feature` (title
//!                words, unigrams, bigrams of stemmed tokens), sublinear
//!                TF × smoothed IDF, L2-normalised
//! u32 K          number of labels (1 ..= 65535), then K × str labels
//! u32 M          metadata entries, then M × (str key, str value)
//! u8             calibration: 0 = softmax, then f32 β;
//!                             1 = sigmoid, then K × (f32 a, f32 b)
//! K × f32        bias of each label
//! u32 V          vocabulary size
//! V × u64        feature hashes, strictly ascending
//! V × f32        IDF of each feature
//! (V+1) × u32    weight offsets per feature: 0, non-decreasing, last = N
//! f32            weight scale q (> 0)
//! N × u16        label of each weight (< K)
//! N × i16        weights, as multiples of q
//! ```
//!
//! Every float must be finite. Decoding checks the magic, the version, the
//! length, the checksum and then every count against the bytes left, so a
//! truncated, corrupt or foreign file gives a [`ModelError`], never a panic
//! nor a huge allocation. The feature hashes depend on
//! `tokenize::term_hash`, the stemmers and `features::bigram`: a change to
//! any of them needs a new version.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::calibrate::Platt;
use super::model::{Calibration, LinearModel};
use crate::domain::taxonomy::ModelInfo;
use crate::domain::tokenize::term_hash;

/// The file's first eight bytes.
pub const MAGIC: &[u8; 8] = b"PRECISTM";
/// The format version this build reads and writes.
pub const VERSION: u32 = 1;
const HEADER: usize = 20;
const FEATURE_SET: u8 = 1;

/// Why a model file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file could not be read.
    #[error("cannot read model file {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file does not start with the model magic.
    #[error("not a precis topic model (bad magic bytes)")]
    BadMagic,
    /// The file is of a format version this build cannot read.
    #[error("model format version {found} is not supported (this build reads version {supported})")]
    UnsupportedVersion {
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// The file is shorter than its header says.
    #[error("model file is truncated: {len} bytes, expected {expected}")]
    Truncated {
        /// Bytes present.
        len: usize,
        /// Bytes expected.
        expected: usize,
    },
    /// The checksum does not match the content.
    #[error("model checksum mismatch: stored {stored:016x}, computed {computed:016x}")]
    ChecksumMismatch {
        /// Checksum in the file.
        stored: u64,
        /// Checksum of the content.
        computed: u64,
    },
    /// The content is inconsistent.
    #[error("malformed model: {0}")]
    Malformed(&'static str),
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i16(&mut self, v: i16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len32(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
    fn str(&mut self, s: &str) {
        self.len32(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
}

/// Serialises a model.
pub fn encode(m: &LinearModel) -> Vec<u8> {
    let mut p = Writer(Vec::with_capacity(m.terms.len() * 16 + m.weights.len() * 6 + 1024));
    p.str(&m.name);
    p.u8(u8::from(m.multi_label));
    p.u8(FEATURE_SET);
    p.len32(m.labels.len());
    for l in &m.labels {
        p.str(l);
    }
    p.len32(m.metadata.len());
    for (k, v) in &m.metadata {
        p.str(k);
        p.str(v);
    }
    match &m.calibration {
        Calibration::Softmax { beta } => {
            p.u8(0);
            p.f32(*beta);
        }
        Calibration::Sigmoid(platt) => {
            p.u8(1);
            for pl in platt {
                p.f32(pl.a);
                p.f32(pl.b);
            }
        }
    }
    for &b in &m.bias {
        p.f32(b);
    }
    p.len32(m.terms.len());
    for &t in &m.terms {
        p.u64(t);
    }
    for &v in &m.idf {
        p.f32(v);
    }
    for &o in &m.offsets {
        p.u32(o);
    }
    p.f32(m.weight_scale);
    for &(l, _) in &m.weights {
        p.u16(l);
    }
    for &(_, q) in &m.weights {
        p.i16(q);
    }
    let mut out = Writer(Vec::with_capacity(p.0.len() + HEADER + 8));
    out.0.extend_from_slice(MAGIC);
    out.u32(VERSION);
    out.u64(p.0.len() as u64);
    out.0.extend_from_slice(&p.0);
    let sum = term_hash(&out.0);
    out.u64(sum);
    out.0
}

/// A weight as a multiple of `scale`, saturated to the i16 range.
pub(crate) fn quantize(w: f32, scale: f32) -> i16 {
    (w / scale).round().clamp(-32767.0, 32767.0) as i16
}

/// The scale that maps the largest weight magnitude to 32767.
pub(crate) fn scale_for(weights: &[f32]) -> f32 {
    let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
    if max > 0.0 {
        max / 32767.0
    } else {
        1.0
    }
}

/// The checksum stored in an encoded model (its last 8 bytes).
pub fn checksum_of(bytes: &[u8]) -> Option<u64> {
    let tail = bytes.len().checked_sub(8).and_then(|s| bytes.get(s..))?;
    Some(u64::from_le_bytes(tail.try_into().ok()?))
}

struct Reader<'a> {
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if n > self.b.len() {
            return Err(ModelError::Malformed("a section runs past the end of the payload"));
        }
        let (head, rest) = self.b.split_at(n);
        self.b = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let s = self.take(N)?;
        s.try_into().map_err(|_| ModelError::Malformed("short read"))
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.array::<1>()?[0])
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        let v = f32::from_le_bytes(self.array()?);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(ModelError::Malformed("a number is not finite"))
        }
    }
    fn count(&mut self, elem: usize) -> Result<usize, ModelError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(elem) > self.b.len() {
            return Err(ModelError::Malformed("a count is larger than the data"));
        }
        Ok(n)
    }
    fn str(&mut self) -> Result<String, ModelError> {
        let n = self.count(1)?;
        let s = self.take(n)?;
        std::str::from_utf8(s).map(str::to_owned).map_err(|_| ModelError::Malformed("a string is not UTF-8"))
    }
    fn vec<T>(&mut self, n: usize, size: usize, f: impl Fn(&[u8]) -> Option<T>) -> Result<Vec<T>, ModelError> {
        let bytes = self.take(n.checked_mul(size).ok_or(ModelError::Malformed("a count overflows"))?)?;
        bytes.chunks_exact(size).map(|c| f(c).ok_or(ModelError::Malformed("a number is not finite"))).collect()
    }
}

fn f32_of(c: &[u8]) -> Option<f32> {
    let v = f32::from_le_bytes(c.try_into().ok()?);
    v.is_finite().then_some(v)
}

/// Reads a model file.
///
/// # Errors
/// [`ModelError::BadMagic`], [`ModelError::UnsupportedVersion`],
/// [`ModelError::Truncated`], [`ModelError::ChecksumMismatch`] or
/// [`ModelError::Malformed`], as the bytes warrant.
pub fn decode(bytes: &[u8]) -> Result<LinearModel, ModelError> {
    if bytes.len() < MAGIC.len() || bytes.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
        return Err(ModelError::BadMagic);
    }
    if bytes.len() < HEADER + 8 {
        return Err(ModelError::Truncated { len: bytes.len(), expected: HEADER + 8 });
    }
    let mut head = Reader { b: bytes.get(8..HEADER).unwrap_or(&[]) };
    let version = head.u32()?;
    if version != VERSION {
        return Err(ModelError::UnsupportedVersion { found: version, supported: VERSION });
    }
    let plen = u64::from_le_bytes(head.array()?);
    let expected = usize::try_from(plen)
        .ok()
        .and_then(|p| p.checked_add(HEADER + 8))
        .ok_or(ModelError::Malformed("payload length overflows"))?;
    if bytes.len() < expected {
        return Err(ModelError::Truncated { len: bytes.len(), expected });
    }
    if bytes.len() > expected {
        return Err(ModelError::Malformed("trailing bytes after the checksum"));
    }
    let body_end = expected - 8;
    let content = bytes.get(..body_end).unwrap_or(&[]);
    let stored = checksum_of(bytes).unwrap_or(0);
    let computed = term_hash(content);
    if stored != computed {
        return Err(ModelError::ChecksumMismatch { stored, computed });
    }
    let mut r = Reader { b: content.get(HEADER..).unwrap_or(&[]) };
    let name = r.str()?;
    let flags = r.u8()?;
    if flags > 1 {
        return Err(ModelError::Malformed("unknown flags"));
    }
    let multi_label = flags == 1;
    if r.u8()? != FEATURE_SET {
        return Err(ModelError::Malformed("unknown feature set"));
    }
    let k = r.count(4)?;
    if k == 0 || k > usize::from(u16::MAX) {
        return Err(ModelError::Malformed("label count out of range"));
    }
    let labels = (0..k).map(|_| r.str()).collect::<Result<Vec<_>, _>>()?;
    let m = r.count(8)?;
    let metadata = (0..m).map(|_| Ok((r.str()?, r.str()?))).collect::<Result<Vec<_>, ModelError>>()?;
    let calibration = match r.u8()? {
        0 => Calibration::Softmax { beta: r.f32()? },
        1 => Calibration::Sigmoid(
            (0..k).map(|_| Ok(Platt { a: r.f32()?, b: r.f32()? })).collect::<Result<Vec<_>, ModelError>>()?,
        ),
        _ => return Err(ModelError::Malformed("unknown calibration")),
    };
    if multi_label != matches!(calibration, Calibration::Sigmoid(_)) {
        return Err(ModelError::Malformed("calibration does not match the label mode"));
    }
    let bias = r.vec(k, 4, f32_of)?;
    let v = r.count(12)?;
    let terms = r.vec(v, 8, |c| c.try_into().ok().map(u64::from_le_bytes))?;
    if terms.windows(2).any(|w| w[0] >= w[1]) {
        return Err(ModelError::Malformed("feature hashes are not strictly ascending"));
    }
    let idf = r.vec(v, 4, f32_of)?;
    let offsets = r.vec(v + 1, 4, |c| c.try_into().ok().map(u32::from_le_bytes))?;
    if offsets.first() != Some(&0) || offsets.windows(2).any(|w| w[0] > w[1]) {
        return Err(ModelError::Malformed("weight offsets are not non-decreasing from 0"));
    }
    let n = offsets.last().copied().unwrap_or(0) as usize;
    let weight_scale = r.f32()?;
    if weight_scale <= 0.0 {
        return Err(ModelError::Malformed("weight scale is not positive"));
    }
    if n.saturating_mul(4) != r.b.len() {
        return Err(ModelError::Malformed("weight count does not match the data"));
    }
    let weight_label = r.vec(n, 2, |c| c.try_into().ok().map(u16::from_le_bytes))?;
    if weight_label.iter().any(|&l| usize::from(l) >= k) {
        return Err(ModelError::Malformed("a weight names a label that does not exist"));
    }
    let weight = r.vec(n, 2, |c| c.try_into().ok().map(i16::from_le_bytes))?;
    let weights: Vec<(u16, i16)> = weight_label.into_iter().zip(weight).collect();
    let index: FxHashMap<u64, u32> = terms.iter().enumerate().map(|(i, &t)| (t, i as u32)).collect();
    let mut model = LinearModel {
        name,
        labels,
        multi_label,
        metadata,
        calibration,
        bias,
        terms,
        idf,
        offsets,
        weight_scale,
        weights,
        index,
        info: ModelInfo::default(),
    };
    model.info = info_of(&model, computed);
    Ok(model)
}

/// The `ModelInfo` of a model whose encoded checksum is `checksum`.
pub(crate) fn info_of(m: &LinearModel, checksum: u64) -> ModelInfo {
    let mut metadata: BTreeMap<String, String> = m.metadata.iter().cloned().collect();
    metadata.insert("name".into(), m.name.clone());
    metadata.insert("format_version".into(), VERSION.to_string());
    metadata.insert("vocabulary".into(), m.terms.len().to_string());
    metadata.insert("weights".into(), m.weights.len().to_string());
    ModelInfo {
        labels: m.labels.clone(),
        version: format!("{VERSION}-{checksum:016x}"),
        multi_label: m.multi_label,
        metadata,
    }
}

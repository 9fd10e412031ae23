//! Demo records of the 19/8 day, 2022 to this year (once the day has passed): three schools
//! in four held it, every pilot site among them, with 60 to 1,500 taking part in two or
//! three forms, and two photos of each pilot site's day. The demo school's own account is
//! left without one for this year, for the visitor to record. Derived from ids, so it is
//! repeatable.

use super::ActivityForm;
use crate::error::AppError;
use crate::reports::demo::DemoUsers;
use crate::store::{iso, now_text, Db};
use chrono::{Datelike, NaiveDate};

pub async fn generate(db: &Db, today: NaiveDate) -> Result<(), AppError> {
    let users = DemoUsers::find(db).await?;
    let now = now_text();
    // Two or three forms a school, chosen by its id.
    let combos = [
        [ActivityForm::Ceremony, ActivityForm::Propaganda].as_slice(),
        &[
            ActivityForm::Ceremony,
            ActivityForm::Culture,
            ActivityForm::Pledge,
        ],
        &[ActivityForm::Sports, ActivityForm::Contest],
        &[
            ActivityForm::Ceremony,
            ActivityForm::Seminar,
            ActivityForm::Commendation,
        ],
        &[
            ActivityForm::Propaganda,
            ActivityForm::Pledge,
            ActivityForm::Culture,
        ],
    ];
    let forms = combos
        .iter()
        .enumerate()
        .map(|(i, c)| format!("WHEN {i} THEN '{}'", ActivityForm::encode(c)))
        .collect::<Vec<_>>()
        .join(" ");
    let this_year = today.year();
    let mut tx = db.pool().begin().await?;
    for year in 2022..=today.year() {
        let Some(day) = NaiveDate::from_ymd_opt(year, 8, 19).filter(|d| *d <= today) else {
            continue;
        };
        sqlx::query(&format!(
            "INSERT INTO security_days
                 (unit_id, year, held_on, participants, forms, note, saved_by, saved_at)
             SELECT u.id, $1, $2, 60 + ((u.id * 37 + $1) % 1441),
                    CASE ((u.id + $1) % 5) {forms} END, '', $3, $5
             FROM units u
             WHERE u.kind = 'school' AND u.established_on <= $2
               AND (u.closed_on IS NULL OR u.closed_on > $2)
               AND (u.id <> $4 OR $1 < {this_year})
               AND ((u.id + $1) % 4 <> 0 OR EXISTS (
                   SELECT 1 FROM plan_units pu JOIN plans p ON p.id = pu.plan_id
                   WHERE pu.unit_id = u.id AND pu.pilot = 1 AND p.year = $1))"
        ))
        .bind(i64::from(year))
        .bind(iso(day))
        .bind(users.school_user)
        .bind(users.left_alone)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    // Two photos of each pilot site's day: the flag ceremony and the crowd.
    for (n, picture) in [(1, Picture::Ceremony), (2, Picture::Crowd)] {
        let png = picture.png();
        sqlx::query(
            "INSERT INTO security_day_photos
                 (day_id, file_name, content_type, size, sha256, bytes, uploaded_by, uploaded_at)
             SELECT d.id, 'ngay-hoi-' || CAST(d.year AS TEXT) || '-' || $1 || '.png',
                    'image/png', $2, $3, $4, $5, $6
             FROM security_days d
             WHERE EXISTS (SELECT 1 FROM plan_units pu JOIN plans p ON p.id = pu.plan_id
                           WHERE pu.unit_id = d.unit_id AND pu.pilot = 1 AND p.year = d.year)",
        )
        .bind(n.to_string())
        .bind(png.len() as i64)
        .bind(crate::store::reports::checksum(&png))
        .bind(png)
        .bind(users.school_user)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The demo photos: small drawings, so that the pages show pictures where schools would
/// have theirs.
#[derive(Clone, Copy)]
enum Picture {
    /// The flag raised before the school.
    Ceremony,
    /// Rows of pupils in the yard.
    Crowd,
}

impl Picture {
    const WIDTH: usize = 160;
    const HEIGHT: usize = 100;
    /// Sky, yard, flag red, star yellow, pole, wall, roof, uniform blue, white.
    const PALETTE: [[u8; 3]; 9] = [
        [0xbf, 0xe3, 0xf5],
        [0x8b, 0xb8, 0x5a],
        [0xda, 0x25, 0x1d],
        [0xff, 0xcd, 0x00],
        [0x55, 0x55, 0x55],
        [0xf5, 0xe6, 0xc8],
        [0xb5, 0x45, 0x2b],
        [0x1a, 0x3a, 0x8e],
        [0xff, 0xff, 0xff],
    ];

    /// The palette index of a pixel.
    fn pixel(self, x: usize, y: usize) -> u8 {
        let (x, y) = (x as i32, y as i32);
        let ground = y >= 62;
        // The school: a wall with windows under a roof, across the back.
        let building = (24..136).contains(&x) && (30..62).contains(&y);
        let roof =
            (18..142).contains(&x) && (22..30).contains(&y) && (y - 22) * 8 >= (80 - x).abs() - 56;
        // Pupils: heads and uniforms in rows on the yard.
        let rows = match self {
            Picture::Ceremony => 1,
            Picture::Crowd => 3,
        };
        let pupil = (0..rows).any(|r| {
            let (top, step) = (68 + r * 10, 9 + r);
            let col = (x - 4 + r * 3).rem_euclid(step);
            (top..top + 8).contains(&y) && (2..6).contains(&col)
        });
        let head = (0..rows).any(|r| {
            let (top, step) = (68 + r * 10, 9 + r);
            let col = (x - 4 + r * 3).rem_euclid(step);
            (top - 3..top).contains(&y) && (3..5).contains(&col)
        });
        match self {
            Picture::Ceremony => {
                let pole = (78..80).contains(&x) && (6..62).contains(&y);
                let flag = (80..112).contains(&x) && (6..26).contains(&y);
                // A five-pointed star, drawn as a small diamond and a bar.
                let (sx, sy) = ((x - 96).abs(), (y - 16).abs());
                let star = flag && (sx + sy <= 5 || (sy <= 1 && sx <= 7));
                if star {
                    3
                } else if flag {
                    2
                } else if pole || head {
                    4
                } else if pupil {
                    8
                } else {
                    Self::scene(x, y, ground, building, roof)
                }
            }
            Picture::Crowd => {
                let banner = (30..130).contains(&x) && (34..44).contains(&y);
                if banner {
                    if (y == 38 || y == 40) && (x - 34).rem_euclid(6) < 4 && x < 126 {
                        3
                    } else {
                        2
                    }
                } else if head {
                    4
                } else if pupil {
                    if y % 10 < 4 {
                        8
                    } else {
                        7
                    }
                } else {
                    Self::scene(x, y, ground, building, roof)
                }
            }
        }
    }

    fn scene(x: i32, y: i32, ground: bool, building: bool, roof: bool) -> u8 {
        let window = (x - 30).rem_euclid(14) < 7 && (38..48).contains(&y) && (30..132).contains(&x);
        if roof {
            6
        } else if building && window {
            7
        } else if building {
            5
        } else if ground {
            1
        } else {
            0
        }
    }

    /// The picture as a PNG: 8-bit indexed colour, its image data in stored (uncompressed)
    /// deflate blocks.
    fn png(self) -> Vec<u8> {
        let mut raw = Vec::with_capacity((Self::WIDTH + 1) * Self::HEIGHT);
        for y in 0..Self::HEIGHT {
            raw.push(0); // no filter
            raw.extend((0..Self::WIDTH).map(|x| self.pixel(x, y)));
        }
        let mut zlib = vec![0x78, 0x01];
        let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
        for (i, block) in blocks.iter().enumerate() {
            zlib.push(u8::from(i + 1 == blocks.len()));
            let len = block.len() as u16;
            zlib.extend(len.to_le_bytes());
            zlib.extend((!len).to_le_bytes());
            zlib.extend_from_slice(block);
        }
        zlib.extend(adler32(&raw).to_be_bytes());

        let mut header = Vec::new();
        header.extend((Self::WIDTH as u32).to_be_bytes());
        header.extend((Self::HEIGHT as u32).to_be_bytes());
        header.extend([8, 3, 0, 0, 0]); // depth 8, indexed, no interlace
        let palette: Vec<u8> = Self::PALETTE.iter().flatten().copied().collect();

        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [
            (b"IHDR", header.as_slice()),
            (b"PLTE", palette.as_slice()),
            (b"IDAT", zlib.as_slice()),
            (b"IEND", &[][..]),
        ] {
            png.extend((data.len() as u32).to_be_bytes());
            let start = png.len();
            png.extend_from_slice(kind);
            png.extend_from_slice(data);
            let crc = crc32(&png[start..]);
            png.extend(crc.to_be_bytes());
        }
        png
    }
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for byte in data {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// The CRC-32 of PNG chunks (ISO 3309), bit by bit: the demo draws two pictures.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_photos_are_pngs_the_upload_check_accepts() {
        for picture in [Picture::Ceremony, Picture::Crowd] {
            let png = picture.png();
            let sniffed = crate::reports::sniff(&png);
            assert!(
                sniffed.is_some_and(|s| s.fits(crate::reports::AttachmentKind::Photo)),
                "{} bytes",
                png.len()
            );
            // The IEND chunk's CRC is the well-known constant.
            assert_eq!(&png[png.len() - 4..], &[0xAE, 0x42, 0x60, 0x82]);
        }
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }
}

import sharp from 'sharp';

/** A real JPEG photo (noisy gradient, so it compresses like a photo) of the given size. */
export async function realJpeg(width: number, height: number, seed = 1, quality = 80): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < raw.length; i += 3) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const p = i / 3;
    const noise = x % 48;
    raw[i] = ((p % width) * 200) / width + noise;
    raw[i + 1] = (Math.floor(p / width) * 200) / height + noise;
    raw[i + 2] = (seed * 37 + noise) % 255;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

/** Written into the EXIF of `withGpsExif` photos: a privacy test looks for it in everything public. */
export const EXIF_MARKER = 'EXIF-PRIVATE-MARKER-7f3a';

/** The same photo with EXIF that says where it was taken (GPS) and a recognisable description. */
export function withGpsExif(jpeg: Buffer): Promise<Buffer> {
  return sharp(jpeg)
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { ImageDescription: EXIF_MARKER },
      IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '7/1 47/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '110/1 22/1 0/1' },
    })
    .toBuffer();
}

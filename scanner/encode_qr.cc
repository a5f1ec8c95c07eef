// QR codes for text (a sign-in link for a phone to open), drawn by zxing-cpp's writer.
#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <exception>

#include "foodtrace/scanner/scanner.h"
#include "scanner/limits.h"

namespace foodtrace::scanner {

Result<QrCode> EncodeQr(std::string_view text) {
  if (text.empty() || text.size() > kQrTextBytesMax) {
    return Status::Invalid("QR_TEXT_LENGTH", "a QR code here holds 1 to " + std::to_string(kQrTextBytesMax) + " bytes");
  }
  try {
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setMargin(0);
    writer.setEncoding(ZXing::CharacterSet::UTF8);
    const ZXing::BitMatrix m = writer.encode(std::string(text), 0, 0);
    QrCode qr;
    qr.size = m.width();
    qr.modules.resize(static_cast<std::size_t>(m.width()) * static_cast<std::size_t>(m.height()));
    for (int y = 0; y < m.height(); ++y) {
      for (int x = 0; x < m.width(); ++x) qr.modules[static_cast<std::size_t>(y * m.width() + x)] = m.get(x, y);
    }
    return qr;
  } catch (const std::exception& e) {
    return Status::Internal(std::string("the QR writer failed: ") + e.what());
  }
}

std::string QrToText(const QrCode& qr) {
  // Two module rows per text line with half blocks, and a quiet zone of two modules.
  constexpr int kQuiet = 2;
  const int n = qr.size + 2 * kQuiet;
  auto dark = [&](int x, int y) {
    x -= kQuiet;
    y -= kQuiet;
    return x >= 0 && y >= 0 && x < qr.size && y < qr.size && qr.at(x, y);
  };
  std::string out;
  for (int y = 0; y < n; y += 2) {
    for (int x = 0; x < n; ++x) {
      const bool top = dark(x, y), bottom = dark(x, y + 1);
      // Light modules are drawn (the terminal's background is usually dark): inverse video.
      out += top && bottom ? " " : top ? "▄" : bottom ? "▀" : "█";
    }
    out += "\n";
  }
  return out;
}

std::string QrToSvg(const QrCode& qr) {
  constexpr int kQuiet = 4;
  const int n = qr.size + 2 * kQuiet;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(n) + " " +
                    std::to_string(n) + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"";
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size; ++x) {
      if (qr.at(x, y)) out += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
    }
  }
  return out + "\" fill=\"#000\"/></svg>\n";
}

}  // namespace foodtrace::scanner

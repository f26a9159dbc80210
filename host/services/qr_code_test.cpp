#include "services/qr_code.hpp"

#include "qr_reader.hpp"

#include <gtest/gtest.h>

using tessera::host::qrModules;
using tessera::host::qrSvg;

TEST(QrCode, TheSvgReadsBackAsTheText) {
    const QString url = QStringLiteral("https://service.example.com/m/biz.aftersales/ticket/42");
    auto svg = qrSvg(url);
    ASSERT_TRUE(svg) << svg.error().message.toStdString();
    EXPECT_TRUE(svg->startsWith(QStringLiteral("<svg class=\"qr\""))) << "inline, no image from elsewhere";
    EXPECT_FALSE(svg->contains(QStringLiteral("href"))) << svg->toStdString();
    const auto read = tessera::test::readQrCode(QStringLiteral("<p>") + *svg + QStringLiteral("</p>"));
    ASSERT_TRUE(read) << (tessera::test::qrReaderIsZbar() ? "zbar" : "libqrencode") << " could not read " << svg->toStdString();
    EXPECT_EQ(*read, url);
}

TEST(QrCode, HasAQuietZoneOfFourModulesAndTheSymbolsSize) {
    auto m = qrModules(QStringLiteral("http://localhost:8080/m/biz.aftersales/ticket/1"));
    ASSERT_TRUE(m);
    EXPECT_EQ((m->size - 17) % 4, 0) << "a QR version's side is 17 + 4v";
    EXPECT_TRUE(m->at(0, 0) && m->at(6, 6) && !m->at(7, 7)) << "the finder pattern's corner";
    auto svg = qrSvg(QStringLiteral("http://localhost:8080/m/biz.aftersales/ticket/1"));
    ASSERT_TRUE(svg);
    EXPECT_TRUE(svg->contains(QStringLiteral("viewBox=\"0 0 %1 %1\"").arg(m->size + 8)));
}

TEST(QrCode, TextTooLongForAQrCodeIsAnError) { EXPECT_FALSE(qrSvg(QString(8000, u'x'))); }

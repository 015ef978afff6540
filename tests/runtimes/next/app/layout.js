export const metadata = { title: "gitpod-prebuilds runtime matrix" };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

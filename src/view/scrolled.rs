//! Content taller than its area, widgets included: painted into an off-screen buffer of
//! the full height, then rows `scroll..` are copied into the frame.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Paints `total` lines of content with `paint` (which gets a buffer and the content's
/// rect, starting at y 0) and shows the lines from `scroll` (clamped) in `area`.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    total: u16,
    scroll: u16,
    paint: impl FnOnce(&mut Buffer, Rect),
) {
    if area.is_empty() || total == 0 {
        return;
    }
    let content = Rect::new(area.x, 0, area.width, total);
    let mut buf = Buffer::empty(content);
    paint(&mut buf, content);
    let scroll = scroll.min(total.saturating_sub(area.height));
    let out = frame.buffer_mut();
    for row in 0..area.height.min(total - scroll) {
        for x in area.left()..area.right() {
            out[(x, area.y + row)] = buf[(x, scroll + row)].clone();
        }
    }
}
